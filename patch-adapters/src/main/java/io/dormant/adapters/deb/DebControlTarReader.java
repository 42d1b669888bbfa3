package io.dormant.adapters.deb;

import io.dormant.library.tar.EntryPathException;
import io.dormant.library.tar.EntryPathResolver;
import io.dormant.library.tar.LimitExceededException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Reads a control archive into memory: its top-level regular files by name ({@code control},
 * {@code md5sums}, maintainer scripts, ...). Control archives are small, so holding them is fine,
 * but only after every declared size and the running decompressed total are checked against the
 * limits, which stops a decompression bomb early.
 */
final class DebControlTarReader {

    private DebControlTarReader() {
    }

    static Map<String, byte[]> read(String file, String member, DebTarStream tar, DebLimits limits) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        long total = 0;
        int count = 0;
        TarArchiveEntry entry;
        while ((entry = tar.next()) != null) {
            String label = DebFormatException.label(file, member) + ": entry '" + DebArIndex.printable(entry.getName()) + "'";
            if (++count > limits.maxControlEntries()) {
                throw new LimitExceededException(label, tar.entryOffset(), "entry count", count, limits.maxControlEntries());
            }
            String name = topLevelName(tar, entry);
            if (entry.isDirectory() && name.isEmpty()) {
                continue;
            }
            if (!entry.isFile() || name.isEmpty()) {
                throw tar.refuse(entry.getName(), "a control archive holds only regular files at its top level");
            }
            if (entry.getSize() > limits.maxControlEntrySize()) {
                throw new LimitExceededException(label, tar.entryOffset(), "declared size", entry.getSize(), limits.maxControlEntrySize());
            }
            total += entry.getSize();
            if (total > limits.maxControlSize()) {
                throw new LimitExceededException(label, tar.entryOffset(), "decompressed control archive", total, limits.maxControlSize());
            }
            if (files.containsKey(name)) {
                throw tar.refuse(entry.getName(), "a second entry named '" + name + "'");
            }
            files.put(name, readContent(tar, entry));
        }
        return files;
    }

    private static String topLevelName(DebTarStream tar, TarArchiveEntry entry) throws DebFormatException {
        List<byte[]> names;
        try {
            names = EntryPathResolver.normalize(entry.getName().getBytes(StandardCharsets.UTF_8));
        } catch (EntryPathException e) {
            throw tar.refuse(entry.getName(), e.getMessage());
        }
        if (names.size() > 1) {
            throw tar.refuse(entry.getName(), "a control archive holds only regular files at its top level");
        }
        return names.isEmpty() ? "" : new String(names.get(0), StandardCharsets.UTF_8);
    }

    private static byte[] readContent(DebTarStream tar, TarArchiveEntry entry) throws IOException {
        try (InputStream in = tar.content(entry)) {
            byte[] content = in.readNBytes((int) entry.getSize());
            if (content.length < entry.getSize()) {
                throw tar.refuse(entry.getName(), "the archive ends " + (entry.getSize() - content.length)
                        + " bytes before the end of this entry; it is truncated");
            }
            return content;
        }
    }
}
