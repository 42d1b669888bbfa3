package io.dormant.adapters.deb;

/**
 * One member of a deb's ar archive.
 *
 * @param name         as dpkg normalises it: trailing blanks and a GNU '/' terminator removed
 * @param headerOffset where its 60-byte header starts in the package file
 * @param dataOffset   where its content starts
 * @param size         bytes of content, without the padding byte that keeps members even
 */
record DebArMember(String name, long headerOffset, long dataOffset, long size) {
}
