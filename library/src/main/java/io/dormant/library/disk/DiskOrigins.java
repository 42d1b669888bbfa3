package io.dormant.library.disk;

import io.dormant.library.catalogue.CatalogueException;
import io.dormant.library.catalogue.ImageVersion;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/** Which versions were imported from a disk image, and that disk as it was ({@code version_disk}). */
public final class DiskOrigins {
    private final DataSource dataSource;

    public DiskOrigins(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the disk of the version {@code versionId}, in the transaction that inserts its row. */
    public static void record(Connection connection, long versionId, DiskOrigin origin) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("insert into dormant.version_disk"
                     + " (version_id, path, format, size_bytes, modified_nanos, changed_nanos) values (?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, versionId);
            insert.setString(2, origin.path().toString());
            insert.setString(3, origin.format().qemuName());
            insert.setLong(4, origin.size());
            insert.setLong(5, origin.modifiedNanos());
            insert.setLong(6, origin.changedNanos());
            insert.executeUpdate();
        }
    }

    /** The disk {@code version} was imported from, if it was. */
    public Optional<DiskOrigin> of(ImageVersion version) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("select path, format, size_bytes, modified_nanos, changed_nanos"
                     + " from dormant.version_disk where version_id = ?")) {
            query.setLong(1, version.id());
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DiskOrigin(Path.of(row.getString(1)),
                        DiskFormat.valueOf(row.getString(2).toUpperCase(Locale.ROOT)), row.getLong(3), row.getLong(4), row.getLong(5)));
            }
        } catch (SQLException e) {
            throw new CatalogueException("cannot read the disk image of " + version.ref() + ": " + e.getMessage(), e);
        }
    }
}
