package io.dormant.library.catalogue;

/** A package file that made a version: known by the digest of its bytes, in the order it was applied. */
public record PatchFile(String digest, String format, String name, String version, String architecture,
                        String fileName, long size) {
}
