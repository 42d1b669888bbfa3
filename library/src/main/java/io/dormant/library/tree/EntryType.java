package io.dormant.library.tree;

/** What a tree entry is. The code is the byte in the tree encoding and must never change. */
public enum EntryType {
    FILE(1), DIRECTORY(2), SYMLINK(3), HARDLINK(4), CHAR_DEVICE(5), BLOCK_DEVICE(6), FIFO(7), SOCKET(8);

    private final int code;

    EntryType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static EntryType fromCode(int code) {
        for (EntryType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    public boolean isDevice() {
        return this == CHAR_DEVICE || this == BLOCK_DEVICE;
    }
}
