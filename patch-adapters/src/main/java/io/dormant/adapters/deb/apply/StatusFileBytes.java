package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebControl;
import io.dormant.adapters.deb.DpkgStatusWriter;
import java.io.ByteArrayOutputStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The status file's bytes for a list of paragraphs, as {@link DpkgStatusWriter#write} makes them,
 * with each paragraph formatted once: an apply writes the file twice per package, and all but one
 * paragraph are the same objects each time.
 */
final class StatusFileBytes {

    /** By identity: a paragraph that changed is a new object, and is formatted again. */
    private final Map<DebControl, byte[]> formatted = new IdentityHashMap<>();

    byte[] of(List<DebControl> paragraphs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(paragraphs.size() * 1024);
        for (DebControl paragraph : paragraphs) {
            out.writeBytes(formatted.computeIfAbsent(paragraph, p -> DpkgStatusWriter.write(List.of(p))));
        }
        if (formatted.size() > 2 * paragraphs.size() + 64) {
            // Paragraphs replaced long ago are garbage; keep only what the file holds now.
            Set<DebControl> current = Collections.newSetFromMap(new IdentityHashMap<>());
            current.addAll(paragraphs);
            formatted.keySet().retainAll(current);
        }
        return out.toByteArray();
    }
}
