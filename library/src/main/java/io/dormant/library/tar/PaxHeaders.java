package io.dormant.library.tar;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** PAX extended header records and the values Dormant takes from them (path, times, ids, xattrs). */
final class PaxHeaders {
    private PaxHeaders() {
    }

    /** PAX records: "LENGTH KEY=VALUE\n", LENGTH counting the whole record in bytes; values are raw. */
    static Map<String, byte[]> parse(byte[] data, String label, long at) throws TarFormatException {
        Map<String, byte[]> out = new HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            if (data[pos] == 0) {
                break; // some writers pad with NULs
            }
            int space = pos;
            long len = 0;
            while (space < data.length && data[space] >= '0' && data[space] <= '9' && space - pos < 10) {
                len = len * 10 + (data[space] - '0');
                space++;
            }
            if (space >= data.length || data[space] != ' ' || len <= space - pos + 1 || pos + len > data.length
                    || data[(int) (pos + len - 1)] != '\n') {
                throw new TarFormatException(label, at, "malformed PAX record at byte " + pos + " of its extended header");
            }
            int eq = space + 1;
            int end = (int) (pos + len - 1);
            while (eq < end && data[eq] != '=') {
                eq++;
            }
            if (eq >= end) {
                throw new TarFormatException(label, at, "PAX record without '=' at byte " + pos + " of its extended header");
            }
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            out.put(key, Arrays.copyOfRange(data, eq + 1, end));
            pos = (int) (pos + len);
        }
        return out;
    }

    static SortedMap<String, byte[]> xattrs(Map<String, byte[]> pax, String label, long at) throws TarFormatException {
        SortedMap<String, byte[]> out = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : pax.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("SCHILY.xattr.")) {
                out.put(k.substring("SCHILY.xattr.".length()), e.getValue());
            } else if (k.equals("RHT.security.selinux")) {
                out.putIfAbsent("security.selinux", e.getValue());
            } else if (k.startsWith("LIBARCHIVE.xattr.")) {
                try {
                    String name = java.net.URLDecoder.decode(k.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
                    out.putIfAbsent(name, java.util.Base64.getDecoder().decode(new String(e.getValue(), StandardCharsets.US_ASCII).trim()));
                } catch (IllegalArgumentException ex) {
                    throw new TarFormatException(label, at, "invalid base64 in PAX record " + k);
                }
            }
        }
        return out;
    }

    static long decimal(byte[] v, String label, long at, String what) throws TarFormatException {
        try {
            return Long.parseLong(new String(v, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            throw new TarFormatException(label, at, "invalid " + what + " '" + new String(v, StandardCharsets.UTF_8) + "'");
        }
    }

    /** A PAX time "[-]SECONDS[.FRACTION]" as {seconds, nanoseconds}, nanoseconds always positive. */
    static long[] time(byte[] v, String label, long at) throws TarFormatException {
        String s = new String(v, StandardCharsets.US_ASCII).trim();
        try {
            boolean negative = s.startsWith("-");
            String body = negative ? s.substring(1) : s;
            int dot = body.indexOf('.');
            long seconds = Long.parseLong(dot < 0 ? body : body.substring(0, dot));
            String frac = dot < 0 ? "" : body.substring(dot + 1);
            if (!frac.chars().allMatch(Character::isDigit)) {
                throw new NumberFormatException();
            }
            frac = (frac + "000000000").substring(0, 9);
            long nanos = Long.parseLong(frac);
            if (negative) {
                seconds = -seconds;
                if (nanos > 0) {
                    seconds -= 1;
                    nanos = 1_000_000_000L - nanos;
                }
            }
            return new long[] {seconds, nanos};
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new TarFormatException(label, at, "invalid PAX mtime '" + s + "'");
        }
    }
}
