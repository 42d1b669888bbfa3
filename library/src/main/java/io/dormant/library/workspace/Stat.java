package io.dormant.library.workspace;

import io.dormant.library.store.ObjectId;
import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Metadata;

/**
 * What a workspace knows of one path: type, metadata, size, and for a file its blob, for a symlink
 * its target. A hardlink is reported as the file it shares an inode with (type FILE, its metadata).
 */
public record Stat(EntryType type, Metadata meta, long size, byte[] target, int devMajor, int devMinor, ObjectId content) {
}
