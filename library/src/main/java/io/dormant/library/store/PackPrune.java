package io.dormant.library.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * gc's side of packs. A pack is never changed: one that holds an unreachable object is replaced
 * by a new pack of its reachable rest, which is published (flushed, indexed) before the old pack's
 * index and then the old pack are deleted, so a crash at any step leaves every reachable object in
 * some published pack. Packs of less than {@link #SMALL_PACK} bytes (a check-in writes one) are
 * merged the same way, so that a lookup does not have to ask hundreds of indexes.
 */
final class PackPrune {
    static final long SMALL_PACK = 8L << 20;

    private final ContentStore store;
    private final Packs packs;
    private final Predicate<ObjectId> keep;

    PackPrune(ContentStore store, Packs packs, Predicate<ObjectId> keep) {
        this.store = store;
        this.packs = packs;
        this.keep = keep;
    }

    PruneResult run() throws IOException {
        List<PackIndex> replace = new ArrayList<>();
        List<PackIndex> small = new ArrayList<>();
        List<PackIndex> kept = new ArrayList<>();
        for (PackIndex index : packs.indexes()) {
            if (IntStream.range(0, index.count()).anyMatch(i -> !keep.test(index.id(i)))) {
                replace.add(index);
            } else if (Files.size(index.packFile()) < SMALL_PACK) {
                small.add(index);
            } else {
                kept.add(index);
            }
        }
        if (small.size() > 1 || (!replace.isEmpty() && !small.isEmpty())) {
            replace.addAll(small);
        } else {
            kept.addAll(small);
        }
        if (replace.isEmpty()) {
            return new PruneResult(0, 0, 0, 0);
        }
        Set<ObjectId> removed = new HashSet<>();
        long bytes = 0;
        OpenPack out = null;
        try {
            for (PackIndex index : replace) {
                for (int i : byOffset(index)) {
                    ObjectId id = index.id(i);
                    if (!keep.test(id)) {
                        if (removed.add(id)) {
                            bytes += index.length(i);
                        }
                    } else if (!inAny(kept, id)) {
                        if (out == null) {
                            out = store.newPrivateSession();
                        }
                        if (out.append(id, ByteBuffer.wrap(verified(index, i, id))) == OpenPack.Put.CLOSED) {
                            throw new IllegalStateException("gc's new pack " + out.name() + " was closed while it was written");
                        }
                    }
                }
            }
            if (out != null) {
                packs.publish(List.of(out), store::pathFor);
            }
        } catch (IOException | RuntimeException e) {
            if (out != null && !Files.exists(packs.dir().resolve(out.name() + ".idx"))) {
                out.abandon(); // never published: its pack goes, the old packs stay
            }
            throw e;
        }
        for (PackIndex index : replace) {
            // The index goes first: a pack without one is invisible, and the next gc deletes it.
            packs.forget(index);
            Files.deleteIfExists(index.indexFile());
            Files.deleteIfExists(index.packFile());
        }
        return new PruneResult(removed.size(), bytes, replace.size(), 0);
    }

    /**
     * Deletes the packs that have no index and the session directories of writers that no process
     * holds: a crash left them before sync published them. Returns how many packs went and their bytes.
     */
    static PruneResult removeUnpublished(Packs packs) throws IOException {
        List<Path> orphans = new ArrayList<>();
        int count = 0;
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(packs.dir())) {
            for (Path p : files) {
                String file = p.getFileName().toString();
                int dot = file.lastIndexOf('.');
                String name = dot < 0 ? file : file.substring(0, dot);
                String kind = dot < 0 ? "" : file.substring(dot);
                boolean orphan = switch (kind) {
                    case ".pack" -> !Files.exists(p.resolveSibling(name + ".idx"));
                    case ".session" -> true;
                    default -> false;
                };
                if (orphan && !OpenPack.isLive(packs.dir(), name)) {
                    orphans.add(p);
                    if (kind.equals(".pack")) {
                        count++;
                        bytes += Files.size(p);
                    }
                }
            }
        }
        for (Path p : orphans) {
            LooseObjects.deleteTree(p);
        }
        return new PruneResult(0, bytes, 0, count);
    }

    /** Reads an object to copy it, refusing to carry a corrupt one into the new pack. */
    private static byte[] verified(PackIndex index, int i, ObjectId id) throws IOException {
        byte[] data = Packs.read(new Packs.Found(index.pack(), index.offset(i), index.length(i)));
        if (!ObjectId.hash(data).equals(id)) {
            throw new IOException("object " + id.hex() + " in " + index.packFile() + " (offset " + index.offset(i)
                    + ") is corrupt; gc stopped before removing anything: run 'dormant store fsck' and restore it");
        }
        return data;
    }

    private static boolean inAny(List<PackIndex> indexes, ObjectId id) {
        for (PackIndex index : indexes) {
            if (index.find(id) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Positions in the order of the pack, so that copying reads the pack front to back. */
    private static int[] byOffset(PackIndex index) {
        return IntStream.range(0, index.count()).boxed()
                .sorted(Comparator.comparingLong(index::offset)).mapToInt(Integer::intValue).toArray();
    }
}
