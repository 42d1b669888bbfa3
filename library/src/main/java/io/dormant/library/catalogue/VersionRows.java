package io.dormant.library.catalogue;

import io.dormant.library.store.ObjectId;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads an {@link ImageVersion} from a row of the catalogue's version query. */
final class VersionRows {

    private VersionRows() {
    }

    static ImageVersion read(ResultSet rows) throws SQLException {
        int parent = rows.getInt("parent_number");
        Integer parentNumber = rows.wasNull() ? null : parent;
        return new ImageVersion(rows.getLong("id"), rows.getString("name"), rows.getInt("number"), parentNumber,
                ObjectId.parse(rows.getString("root_tree").strip()),
                VersionReason.ofWord(rows.getString("reason")), rows.getString("created_by"),
                rows.getTimestamp("created_at").toInstant(), rows.getString("summary"));
    }
}
