package io.dormant.adapters.deb;

import java.util.ArrayList;
import java.util.List;

/**
 * A configuration file dpkg keeps the admin's changes to.
 *
 * @param path            absolute, as dpkg lists it: "/etc/hello.conf"
 * @param hash            the md5 of the file as installed, in the status file; null in a package's
 *                        own conffiles list, which has none (dpkg writes "newconffile" until unpacked)
 * @param obsolete        the package no longer ships it (status file only)
 * @param removeOnUpgrade the package asks for it to be removed on upgrade
 */
public record DebConffile(String path, String hash, boolean obsolete, boolean removeOnUpgrade) {

    private static final String REMOVE_ON_UPGRADE = "remove-on-upgrade";

    /** A package's DEBIAN/conffiles: one absolute path a line, optionally "remove-on-upgrade /path". */
    static List<DebConffile> parsePackageList(String text, String source) throws DebControlException {
        List<DebConffile> out = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\n", -1)) {
            lineNumber++;
            String entry = line.strip();
            if (entry.isEmpty()) {
                continue;
            }
            boolean remove = entry.startsWith(REMOVE_ON_UPGRADE + " ");
            String path = remove ? entry.substring(REMOVE_ON_UPGRADE.length()).strip() : entry;
            if (!path.startsWith("/")) {
                throw new DebControlException(source + " line " + lineNumber, "conffile '" + DebArIndex.printable(entry)
                        + "' is not an absolute path");
            }
            out.add(new DebConffile(path, null, false, remove));
        }
        return out;
    }

    /** The status file's Conffiles value: " /path hash [obsolete] [remove-on-upgrade]" a line. */
    static List<DebConffile> parseStatusField(String value, String source) throws DebControlException {
        List<DebConffile> out = new ArrayList<>();
        for (String line : value.split("\n")) {
            String[] words = line.strip().split("[ \t]+");
            if (words.length == 1 && words[0].isEmpty()) {
                continue;
            }
            if (words.length < 2 || words.length > 4) {
                throw new DebControlException(source, "Conffiles line '" + line.strip() + "' is not '/path md5 [flags]'");
            }
            boolean obsolete = false;
            boolean remove = false;
            for (int i = 2; i < words.length; i++) {
                if (words[i].equals("obsolete")) {
                    obsolete = true;
                } else if (words[i].equals(REMOVE_ON_UPGRADE)) {
                    remove = true;
                } else {
                    throw new DebControlException(source, "unknown Conffiles flag '" + words[i] + "'");
                }
            }
            out.add(new DebConffile(words[0], words[1], obsolete, remove));
        }
        return out;
    }

    /** One line of the status file's Conffiles field, without the newline (dump.c, w_conffiles). */
    public String formatStatusLine() {
        return " " + path + " " + hash + (obsolete ? " obsolete" : "") + (removeOnUpgrade ? " " + REMOVE_ON_UPGRADE : "");
    }

    public DebConffile withHash(String md5) {
        return new DebConffile(path, md5, obsolete, removeOnUpgrade);
    }
}
