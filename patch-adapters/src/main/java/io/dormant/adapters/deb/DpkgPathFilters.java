package io.dormant.adapters.deb;

import java.util.List;

/**
 * dpkg's {@code --path-exclude} and {@code --path-include} filters (src/main/filters.c): an entry of
 * a data archive whose path the last matching filter excludes is not unpacked, though it stays in
 * the package's file list. An excluded directory, or symlink, is still unpacked when an include
 * filter's fixed beginning (up to its first wildcard, trailing slashes dropped) is a prefix of its
 * path, so that the files the include brings back have somewhere to go.
 */
public record DpkgPathFilters(List<Filter> filters) {

    public static final DpkgPathFilters NONE = new DpkgPathFilters(List.of());

    /** One filter, in the order dpkg read it. */
    public record Filter(String pattern, boolean include) {
    }

    public DpkgPathFilters {
        filters = List.copyOf(filters);
    }

    /**
     * Whether dpkg skips the entry at {@code path} (absolute: "/usr/share/doc/x").
     *
     * @param directoryOrSymlink the entry is a directory or a symlink
     */
    public boolean skips(String path, boolean directoryOrSymlink) {
        if (filters.isEmpty()) {
            return false;
        }
        boolean skip = false;
        for (Filter filter : filters) {
            if (Fnmatch.matches(filter.pattern(), path)) {
                skip = !filter.include();
            }
        }
        if (skip && directoryOrSymlink) {
            for (Filter filter : filters) {
                if (filter.include() && path.startsWith(fixedBeginning(filter.pattern()))) {
                    return false;
                }
            }
        }
        return skip;
    }

    private static String fixedBeginning(String pattern) {
        int end = pattern.length();
        for (int i = 0; i < pattern.length(); i++) {
            if ("*?[\\".indexOf(pattern.charAt(i)) >= 0) {
                end = i;
                break;
            }
        }
        while (end > 0 && pattern.charAt(end - 1) == '/') {
            end--;
        }
        return pattern.substring(0, end);
    }
}
