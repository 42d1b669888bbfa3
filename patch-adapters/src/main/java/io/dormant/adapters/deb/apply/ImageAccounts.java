package io.dormant.adapters.deb.apply;

import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The image's own users and groups. dpkg gives unpacked files the owner named in the archive,
 * looked up in the system being installed, and falls back to the archive's number only when the
 * name is unknown there: system users get different numbers on different machines.
 */
final class ImageAccounts {

    private final Map<String, Long> users;
    private final Map<String, Long> groups;

    private ImageAccounts(Map<String, Long> users, Map<String, Long> groups) {
        this.users = users;
        this.groups = groups;
    }

    static ImageAccounts read(RootedFiles image) throws IOException {
        return new ImageAccounts(ids(image.resolve("/etc/passwd", true)), ids(image.resolve("/etc/group", true)));
    }

    long uid(String name, long archived) {
        return lookup(users, name, archived);
    }

    long gid(String name, long archived) {
        return lookup(groups, name, archived);
    }

    /** A name, or "#123" for a number (the form dpkg-statoverride writes for unnamed ids). */
    private static long lookup(Map<String, Long> ids, String name, long archived) {
        if (name == null || name.isEmpty()) {
            return archived;
        }
        if (name.startsWith("#")) {
            return Long.parseLong(name.substring(1));
        }
        return ids.getOrDefault(name, archived);
    }

    private static Map<String, Long> ids(Path file) throws IOException {
        Map<String, Long> ids = new HashMap<>();
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return ids;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 3) {
                try {
                    ids.putIfAbsent(fields[0], Long.parseLong(fields[2]));
                } catch (NumberFormatException e) {
                    // a malformed line names no id; dpkg's lookup would skip it too
                }
            }
        }
        return ids;
    }
}
