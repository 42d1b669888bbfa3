package io.dormant.library.catalogue;

import io.dormant.library.store.ObjectId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Images and their versions in PostgreSQL. Rows are only ever inserted: a version, once recorded,
 * is never changed. Callers record a version only after the store made its objects durable.
 */
public final class ImageCatalogue {

    private static final String VERSION_COLUMNS = "v.id, i.name, v.number, p.number as parent_number, v.root_tree,"
            + " v.reason, v.created_by, v.created_at, v.summary";
    private static final String VERSION_FROM = " from dormant.image_version v join dormant.image i on i.id = v.image_id"
            + " left join dormant.image_version p on p.id = v.parent_id";

    private final DataSource dataSource;

    public ImageCatalogue(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Records the next version of an image, numbering it under a lock on the image row. */
    public ImageVersion record(NewVersion version) {
        return record(version, List.of());
    }

    /** Records the next version together with its package inventory, in one transaction. */
    public ImageVersion record(NewVersion version, List<InstalledPackage> inventory) {
        return record(version, inventory, (connection, id) -> { });
    }

    /**
     * Work that must commit or roll back together with the new version row (a staged row's removal,
     * the disk an import came from); it runs after the row is inserted, with its id.
     */
    public interface InTransaction {
        void run(Connection connection, long versionId) throws SQLException;
    }

    /** Records the next version with its inventory and {@code alongside}, in one transaction. */
    public ImageVersion record(NewVersion version, List<InstalledPackage> inventory, InTransaction alongside) {
        ImageNames.checked(version.image());
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long imageId = lockImage(connection, version);
                int number = nextNumber(connection, imageId);
                Long parentId = parentId(connection, imageId, version);
                long id = insertVersion(connection, imageId, number, parentId, version);
                insertInventory(connection, id, inventory);
                alongside.run(connection, id);
                connection.commit();
                return versionById(connection, id);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CatalogueException("cannot record a version of '" + version.image() + "': " + e.getMessage(), e);
        }
    }

    public ImageVersion version(VersionRef ref) {
        String sql = "select " + VERSION_COLUMNS + VERSION_FROM + " where i.name = ?"
                + (ref.newest() ? " order by v.number desc limit 1" : " and v.number = ?");
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, ref.image());
            if (!ref.newest()) {
                query.setInt(2, ref.number());
            }
            try (ResultSet rows = query.executeQuery()) {
                if (rows.next()) {
                    return VersionRows.read(rows);
                }
            }
            throw notFound(connection, ref);
        } catch (SQLException e) {
            throw new CatalogueException("cannot read version " + ref + ": " + e.getMessage(), e);
        }
    }

    public List<ImageVersion> versions(String image) {
        ImageNames.checked(image);
        String sql = "select " + VERSION_COLUMNS + VERSION_FROM + " where i.name = ? order by v.number";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, image);
            List<ImageVersion> versions = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    versions.add(VersionRows.read(rows));
                }
            }
            if (versions.isEmpty()) {
                throw unknownImage(image);
            }
            return versions;
        } catch (SQLException e) {
            throw new CatalogueException("cannot list the versions of '" + image + "': " + e.getMessage(), e);
        }
    }

    public List<ImageSummary> images() {
        String sql = "select i.name, count(v.id), coalesce(max(v.number), 0), coalesce(max(v.created_at), i.created_at),"
                + " i.created_by from dormant.image i left join dormant.image_version v on v.image_id = i.id"
                + " group by i.id order by i.name";
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            List<ImageSummary> images = new ArrayList<>();
            while (rows.next()) {
                images.add(new ImageSummary(rows.getString(1), rows.getInt(2), rows.getInt(3),
                        rows.getTimestamp(4).toInstant(), rows.getString(5)));
            }
            return images;
        } catch (SQLException e) {
            throw new CatalogueException("cannot list images: " + e.getMessage(), e);
        }
    }

    public Optional<ImageVersion> newest(String image) {
        try {
            return Optional.of(version(new VersionRef(ImageNames.checked(image), null)));
        } catch (UnknownImageException e) {
            return Optional.empty();
        }
    }

    /** Every root tree any version names: what the store must keep. */
    public Set<ObjectId> roots() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("select distinct root_tree from dormant.image_version");
             ResultSet rows = query.executeQuery()) {
            Set<ObjectId> roots = new HashSet<>();
            while (rows.next()) {
                roots.add(ObjectId.parse(rows.getString(1).strip()));
            }
            return roots;
        } catch (SQLException e) {
            throw new CatalogueException("cannot read the version roots: " + e.getMessage(), e);
        }
    }

    /** Every version, for fsck reports that name the versions a missing object breaks. */
    public List<ImageVersion> allVersions() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("select " + VERSION_COLUMNS + VERSION_FROM
                     + " order by i.name, v.number");
             ResultSet rows = query.executeQuery()) {
            List<ImageVersion> versions = new ArrayList<>();
            while (rows.next()) {
                versions.add(VersionRows.read(rows));
            }
            return versions;
        } catch (SQLException e) {
            throw new CatalogueException("cannot list versions: " + e.getMessage(), e);
        }
    }

    private static long lockImage(Connection connection, NewVersion version) throws SQLException {
        if (version.createImage()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into dormant.image (name, created_by) values (?, ?) on conflict (name) do nothing")) {
                insert.setString(1, version.image());
                insert.setString(2, version.actor());
                insert.executeUpdate();
            }
        }
        try (PreparedStatement lock = connection.prepareStatement("select id from dormant.image where name = ? for update")) {
            lock.setString(1, version.image());
            try (ResultSet rows = lock.executeQuery()) {
                if (!rows.next()) {
                    throw unknownImage(version.image());
                }
                return rows.getLong(1);
            }
        }
    }

    private static int nextNumber(Connection connection, long imageId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "select coalesce(max(number), 0) + 1 from dormant.image_version where image_id = ?")) {
            query.setLong(1, imageId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static Long parentId(Connection connection, long imageId, NewVersion version) throws SQLException {
        String sql = version.parent() == null
                ? "select id from dormant.image_version where image_id = ? order by number desc limit 1"
                : "select id from dormant.image_version where image_id = ? and number = ?";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, imageId);
            if (version.parent() != null) {
                query.setInt(2, version.parent());
            }
            try (ResultSet rows = query.executeQuery()) {
                if (rows.next()) {
                    return rows.getLong(1);
                }
            }
        }
        if (version.parent() != null) {
            throw new CatalogueException("image '" + version.image() + "' has no version " + version.parent());
        }
        return null;
    }

    private static long insertVersion(Connection connection, long imageId, int number, Long parentId, NewVersion version)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("insert into dormant.image_version"
                + " (image_id, number, parent_id, root_tree, reason, created_by, summary) values (?, ?, ?, ?, ?, ?, ?)"
                + " returning id")) {
            insert.setLong(1, imageId);
            insert.setInt(2, number);
            insert.setObject(3, parentId);
            insert.setString(4, version.root().hex());
            insert.setString(5, version.reason().word());
            insert.setString(6, version.actor());
            insert.setString(7, version.summary() == null ? "" : version.summary());
            try (ResultSet rows = insert.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The packages installed in a version, by format and name. */
    public List<InstalledPackage> inventory(ImageVersion version) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "select format, name, version, architecture, status from dormant.package_inventory"
                        + " where version_id = ? order by format, name, architecture")) {
            query.setLong(1, version.id());
            List<InstalledPackage> packages = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    packages.add(new InstalledPackage(rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getString(5)));
                }
            }
            return packages;
        } catch (SQLException e) {
            throw new CatalogueException("cannot read the inventory of " + version.ref() + ": " + e.getMessage(), e);
        }
    }

    private static void insertInventory(Connection connection, long versionId, List<InstalledPackage> inventory)
            throws SQLException {
        if (inventory.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("insert into dormant.package_inventory"
                + " (version_id, format, name, version, architecture, status) values (?, ?, ?, ?, ?, ?)"
                + " on conflict do nothing")) {
            for (InstalledPackage p : inventory) {
                insert.setLong(1, versionId);
                insert.setString(2, p.format());
                insert.setString(3, p.name());
                insert.setString(4, p.version());
                insert.setString(5, p.architecture());
                insert.setString(6, p.status());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static ImageVersion versionById(Connection connection, long id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select " + VERSION_COLUMNS + VERSION_FROM + " where v.id = ?")) {
            query.setLong(1, id);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return VersionRows.read(rows);
            }
        }
    }

    private static CatalogueException notFound(Connection connection, VersionRef ref) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select max(v.number) from dormant.image i"
                + " left join dormant.image_version v on v.image_id = i.id where i.name = ? group by i.id")) {
            query.setString(1, ref.image());
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next() || rows.getInt(1) == 0) {
                    return unknownImage(ref.image());
                }
                return new CatalogueException("image '" + ref.image() + "' has no version " + ref.number()
                        + "; its versions are 1 to " + rows.getInt(1) + " (dormant image versions " + ref.image() + ")");
            }
        }
    }

    private static UnknownImageException unknownImage(String image) {
        return new UnknownImageException(image);
    }
}
