package io.dormant.library.catalogue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Which package files made which version ({@code patch} and {@code version_patch}): a file is one
 * row however many versions it patched, so "which images got openssl 3.0.22" is one join.
 */
public final class VersionPatches {

    private final DataSource dataSource;

    public VersionPatches(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(ImageVersion version, List<PatchFile> patches) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement patch = connection.prepareStatement("insert into dormant.patch (digest, format, name, version,"
                    + " architecture, file_name, size_bytes) values (?, ?, ?, ?, ?, ?, ?)"
                    + " on conflict (digest) do update set digest = excluded.digest returning id");
                 PreparedStatement link = connection.prepareStatement("insert into dormant.version_patch (version_id, patch_id,"
                         + " position) values (?, ?, ?) on conflict do nothing")) {
                int position = 0;
                for (PatchFile file : patches) {
                    patch.setString(1, file.digest());
                    patch.setString(2, file.format());
                    patch.setString(3, file.name());
                    patch.setString(4, file.version());
                    patch.setString(5, file.architecture());
                    patch.setString(6, file.fileName());
                    patch.setLong(7, file.size());
                    long id;
                    try (ResultSet rows = patch.executeQuery()) {
                        rows.next();
                        id = rows.getLong(1);
                    }
                    link.setLong(1, version.id());
                    link.setLong(2, id);
                    link.setInt(3, ++position);
                    link.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CatalogueException("cannot record the patches of " + version.ref() + ": " + e.getMessage(), e);
        }
    }

    /** The package files that made this version, in the order they were applied (none for an import). */
    public List<PatchFile> of(ImageVersion version) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "select p.digest, p.format, p.name, p.version, p.architecture, p.file_name, p.size_bytes"
                        + " from dormant.version_patch vp join dormant.patch p on p.id = vp.patch_id"
                        + " where vp.version_id = ? order by vp.position")) {
            query.setLong(1, version.id());
            List<PatchFile> patches = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    patches.add(new PatchFile(rows.getString(1).strip(), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6), rows.getLong(7)));
                }
            }
            return patches;
        } catch (SQLException e) {
            throw new CatalogueException("cannot read the patches of " + version.ref() + ": " + e.getMessage(), e);
        }
    }
}
