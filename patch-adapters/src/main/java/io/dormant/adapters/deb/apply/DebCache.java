package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.python.ByteCompileCache;

/**
 * The caches the deb adapter keeps in the library's cache directory: what {@code dormant cache}
 * lists and clears. Each entry is a file; anything else there (a temporary file being written) is
 * not an entry.
 */
public enum DebCache {

    DATA("deb-data", "*" + DecodedDataCache.SUFFIX, DecodedDataCache.SIZE_LIMIT,
            "decompressed data of the packages applied, for the next image given them"),
    BYTE_COMPILE("byte-compile", ByteCompileCache.ENTRIES, ByteCompileCache.SIZE_LIMIT,
            "python bytecode compiled by maintainer scripts, for the next image given the same update");

    private final String directory;
    private final String entries;
    private final long sizeLimit;
    private final String what;

    DebCache(String directory, String entries, long sizeLimit, String what) {
        this.directory = directory;
        this.entries = entries;
        this.sizeLimit = sizeLimit;
        this.what = what;
    }

    /** The directory's name in the library's cache directory. */
    public String directory() {
        return directory;
    }

    /** A glob matching the entries' names. */
    public String entries() {
        return entries;
    }

    /** Past this many bytes, the least recently used entries go. */
    public long sizeLimit() {
        return sizeLimit;
    }

    public String what() {
        return what;
    }
}
