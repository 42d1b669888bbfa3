package io.dormant.library.catalogue;

import io.dormant.library.store.ObjectId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Staged versions in the catalogue: written once their objects are durable, then either turned into
 * the next version (the staged row is deleted in the same transaction that records the version, so
 * a staged result becomes at most one version) or dropped.
 */
public final class StagedVersions {

    private static final String COLUMNS = "s.id, i.name, p.number as parent_number, s.root_tree, s.reason,"
            + " s.created_by, s.created_at, s.summary from dormant.staged_version s"
            + " join dormant.image i on i.id = s.image_id join dormant.image_version p on p.id = s.parent_id";

    private final ImageCatalogue catalogue;
    private final DataSource dataSource;

    public StagedVersions(ImageCatalogue catalogue) {
        this.catalogue = catalogue;
        this.dataSource = catalogue.dataSource();
    }

    public StagedVersion stage(ImageVersion parent, ObjectId root, VersionReason reason, String actor, String summary) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "insert into dormant.staged_version (image_id, parent_id, root_tree, reason, created_by, summary)"
                        + " select image_id, id, ?, ?, ?, ? from dormant.image_version where id = ? returning id")) {
            insert.setString(1, root.hex());
            insert.setString(2, reason.word());
            insert.setString(3, actor);
            insert.setString(4, summary == null ? "" : summary);
            insert.setLong(5, parent.id());
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return find(connection, rows.getLong(1));
            }
        } catch (SQLException e) {
            throw new CatalogueException("cannot stage a new version of " + parent.ref() + ": " + e.getMessage(), e);
        }
    }

    public StagedVersion get(long id) {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, id);
        } catch (SQLException e) {
            throw new CatalogueException("cannot read staged version " + id + ": " + e.getMessage(), e);
        }
    }

    /** Every staged version: gc keeps what they name, fsck checks them like versions. */
    public List<StagedVersion> all() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("select " + COLUMNS + " order by s.id");
             ResultSet rows = query.executeQuery()) {
            List<StagedVersion> staged = new ArrayList<>();
            while (rows.next()) {
                staged.add(read(rows));
            }
            return staged;
        } catch (SQLException e) {
            throw new CatalogueException("cannot list staged versions: " + e.getMessage(), e);
        }
    }

    /**
     * Records the staged result as the next version of its image, with its inventory, and removes the
     * staged row in the same transaction; a second call for the same id finds no row and fails.
     */
    public ImageVersion checkIn(StagedVersion staged, String actor, List<InstalledPackage> inventory) {
        NewVersion version = new NewVersion(staged.image(), staged.root(), staged.reason(), actor, staged.summary(),
                staged.parentNumber(), false);
        return catalogue.record(version, inventory, (connection, id) -> {
            if (delete(connection, staged.id()) == 0) {
                throw new CatalogueException("staged version " + staged.id() + " of " + staged.image()
                        + " was already checked in or dropped");
            }
        });
    }

    /** Forgets a staged result; its objects become garbage for the next gc. */
    public boolean drop(long id) {
        try (Connection connection = dataSource.getConnection()) {
            return delete(connection, id) > 0;
        } catch (SQLException e) {
            throw new CatalogueException("cannot drop staged version " + id + ": " + e.getMessage(), e);
        }
    }

    private static int delete(Connection connection, long id) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from dormant.staged_version where id = ?")) {
            delete.setLong(1, id);
            return delete.executeUpdate();
        }
    }

    private static StagedVersion find(Connection connection, long id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select " + COLUMNS + " where s.id = ?")) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new CatalogueException("there is no staged version " + id);
                }
                return read(rows);
            }
        }
    }

    private static StagedVersion read(ResultSet rows) throws SQLException {
        return new StagedVersion(rows.getLong("id"), rows.getString("name"), rows.getInt("parent_number"),
                ObjectId.parse(rows.getString("root_tree").strip()), VersionReason.ofWord(rows.getString("reason")),
                rows.getString("created_by"), rows.getTimestamp("created_at").toInstant(), rows.getString("summary"));
    }
}
