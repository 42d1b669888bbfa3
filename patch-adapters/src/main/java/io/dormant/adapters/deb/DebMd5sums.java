package io.dormant.adapters.deb;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads md5sums files (a package's DEBIAN/md5sums, dpkg's info/*.md5sums): "md5  path" a line. */
final class DebMd5sums {

    private DebMd5sums() {
    }

    /** Path (relative, as written: "usr/bin/hello") to md5, in file order. */
    static Map<String, String> parse(String text, String source) throws DebControlException {
        Map<String, String> out = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space != 32 || !line.substring(0, 32).matches("[0-9a-fA-F]{32}")) {
                throw new DebControlException(source + " line " + lineNumber, "'" + DebArIndex.printable(line)
                        + "' is not '<32 hex digits>  <path>'");
            }
            String path = line.substring(space).stripLeading();
            out.put(path.startsWith("/") ? path.substring(1) : path, line.substring(0, 32).toLowerCase());
        }
        return out;
    }
}
