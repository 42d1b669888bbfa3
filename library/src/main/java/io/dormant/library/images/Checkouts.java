package io.dormant.library.images;

import io.dormant.library.fs.HostTrees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where version checkouts are kept: read-only trees, named by their root id, that patch applies
 * mount as an overlay's lower layer.
 *
 * <p>By default they go on a memory file system when one with room is there. Writing 12,750
 * files to ext4 took 3.4-5 s; the same checkout to tmpfs took 0.8 s, and every new image of a
 * campaign makes one. A checkout is named by its tree's id, so the same tree is the same
 * directory for every library on the machine. On a memory file system at most {@link #KEPT_IN_MEMORY}
 * are kept, and fewer when it runs short of room: the least recently used go first. A checkout
 * that would leave it short of room, or that fills it, goes to the cache on disk instead (real
 * images are often larger than the memory). A checkout is never removed while an overlay is
 * mounted on it, or within {@link #RECENT} of its last use (between the checkout and the mount).
 * On disk at most {@link #KEPT_ON_DISK} are kept, by the same rules.
 * {@code DORMANT_CHECKOUTS} names a directory instead, where nothing is evicted.
 */
final class Checkouts {

    static final String VARIABLE = "DORMANT_CHECKOUTS";
    /** The name suffix of a checkout whose large files are stubs reading from the store. */
    static final String WITH_STUBS = "-stubs";
    static final int KEPT_IN_MEMORY = 4;
    /**
     * Checkouts kept in the cache on disk. Each is a whole image, and a campaign checks out each
     * image's version once: unbounded, a fleet's campaign would fill the disk.
     */
    static final int KEPT_ON_DISK = 4;
    static final Duration RECENT = Duration.ofMinutes(10);
    private static final Path SHARED_MEMORY = Path.of("/dev/shm");
    /** Room a memory file system must keep: other checkouts, the applies' own scratch, and other users. */
    static final long MIN_FREE = 8L << 30;

    /** Writes a tree into an empty directory. */
    @FunctionalInterface
    interface Export {
        void into(Path directory) throws IOException;
    }

    private final Path dir;
    private final int kept;
    /** Where checkouts go when {@link #dir} (a memory file system) lacks room; null when nothing spills. */
    private final Checkouts spill;
    private final long minFree;

    /** Checkouts in {@code dir} only, at most {@code kept} of them. */
    Checkouts(Path dir, int kept) {
        this(dir, kept, (Checkouts) null, 0);
    }

    /** Checkouts in {@code dir} (a memory file system) while it keeps {@code minFree}, else in {@code spill} on disk. */
    Checkouts(Path dir, int kept, Path spill, long minFree) {
        this(dir, kept, new Checkouts(spill, KEPT_ON_DISK), minFree);
    }

    private Checkouts(Path dir, int kept, Checkouts spill, long minFree) {
        this.dir = dir;
        this.kept = kept;
        this.spill = spill;
        this.minFree = minFree;
    }

    static Checkouts choose(Path cache, Map<String, String> environment) {
        String configured = environment.get(VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return new Checkouts(Path.of(configured).toAbsolutePath().normalize(), Integer.MAX_VALUE);
        }
        try {
            if (Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY)) {
                FileStore memory = Files.getFileStore(SHARED_MEMORY);
                if ("tmpfs".equals(memory.type()) && memory.getUsableSpace() >= MIN_FREE) {
                    return new Checkouts(SHARED_MEMORY.resolve("dormant-checkouts-" + System.getProperty("user.name")),
                            KEPT_IN_MEMORY, cache.resolve("checkouts"), MIN_FREE);
                }
            }
        } catch (IOException e) {
            // no usable memory file system: the default below
        }
        return new Checkouts(cache.resolve("checkouts"), KEPT_ON_DISK);
    }

    /**
     * The checkout named {@code name}: the one made earlier, wherever it went, or a new one that
     * {@code export} writes beside its place and that is then renamed into it. Callers serialize
     * checkouts of one name.
     *
     * @param note told where a checkout goes when it goes to disk for want of memory, and why
     */
    Path checkOut(String name, Export export, java.util.function.Consumer<String> note) throws IOException {
        for (Checkouts place : spill == null ? List.of(this) : List.of(this, spill)) {
            Path made = place.dir.resolve(name);
            if (Files.isDirectory(made)) {
                inUse(made);
                // Also here, not only after a new checkout: a campaign that reuses one must not
                // leave more than the number kept from before.
                place.evict(made);
                return made;
            }
        }
        if (spill != null) {
            evict(null);
            if (free() < minFree) {
                note.accept("checking out to " + spill.dir + ": the memory file system of " + dir + " has less than "
                        + (minFree >> 20) + " MiB free");
                return spill.make(name, export);
            }
        }
        try {
            return make(name, export);
        } catch (IOException e) {
            if (spill == null || !outOfRoom(e)) {
                throw e;
            }
            note.accept("checking out to " + spill.dir + " instead: the image did not fit into the memory file system of " + dir);
            return spill.make(name, export);
        }
    }

    private Path make(String name, Export export) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(dir);
        Path partial = Files.createTempDirectory(dir, name + ".partial-");
        try {
            export.into(partial);
            Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
            // another process finished the same checkout first; ours is garbage
            HostTrees.removeQuietly(partial);
            return inUse(target);
        } catch (IOException | RuntimeException e) {
            HostTrees.removeQuietly(partial);
            throw e;
        }
        inUse(target);
        evict(target);
        return target;
    }

    /** Whether a failure was the file system running out of blocks or inodes (ENOSPC). */
    static boolean outOfRoom(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    private long free() {
        try {
            return Files.getFileStore(Files.isDirectory(dir) ? dir : dir.getParent()).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Marks the checkout as in use now (see {@link #touch}), and answers it. */
    private static Path inUse(Path checkout) {
        try {
            touch(checkout);
        } catch (IOException e) {
            // a checkout whose mark cannot be written is only evicted sooner; still usable now
        }
        return checkout;
    }

    Path dir() {
        return dir;
    }

    /**
     * Marks a checkout as used now, so that eviction passes it over until {@link #RECENT} has gone
     * by. The mark is a file beside it: the checkout's own root carries the image's mtime.
     */
    static void touch(Path checkout) throws IOException {
        Path mark = used(checkout);
        if (!Files.exists(mark)) {
            Files.createFile(mark);
        }
        Files.setLastModifiedTime(mark, FileTime.fromMillis(System.currentTimeMillis()));
    }

    private static Path used(Path checkout) {
        return checkout.resolveSibling(checkout.getFileName() + ".used");
    }

    /**
     * Removes the least recently used checkouts beyond the number kept, and while a memory file
     * system is short of room, except {@code keep} and those in use. Best effort: a checkout that
     * cannot be removed now is tried again next time.
     */
    void evict(Path keep) {
        if (kept != Integer.MAX_VALUE) {
            evict(keep, kept);
        }
    }

    /**
     * Removes every checkout, in each place, except those in use (mounted, or used within
     * {@link #RECENT}: an apply may be about to mount it).
     *
     * @return the checkouts kept for being in use
     */
    List<Path> clear() {
        List<Path> left = new ArrayList<>(evict(null, 0));
        if (spill != null) {
            left.addAll(spill.clear());
        }
        return left;
    }

    /** Each place checkouts are kept, memory first. */
    List<LibraryCache.CheckoutPlace> places() throws IOException {
        List<LibraryCache.CheckoutPlace> places = new ArrayList<>();
        long bytes = 0;
        List<Path> checkouts = list();
        for (Path checkout : checkouts) {
            bytes += HostTrees.size(checkout);
        }
        places.add(new LibraryCache.CheckoutPlace(dir, spill != null, kept, checkouts.size(), bytes));
        if (spill != null) {
            places.addAll(spill.places());
        }
        return places;
    }

    /** Evicts down to {@code limit} checkouts; answers those left. */
    private List<Path> evict(Path keep, int limit) {
        try {
            List<Path> checkouts = list();
            if (checkouts.size() <= limit && (spill == null || free() >= minFree)) {
                return checkouts;
            }
            checkouts.sort(Comparator.comparing(Checkouts::lastUsed));
            String mounts = Files.readString(Path.of("/proc/self/mountinfo"));
            long recent = System.currentTimeMillis() - RECENT.toMillis();
            int over = checkouts.size() - limit;
            List<Path> left = new ArrayList<>();
            for (Path checkout : checkouts) {
                if ((over <= 0 && (spill == null || free() >= minFree))
                        || checkout.equals(keep) || lastUsed(checkout).toMillis() > recent || mountedOn(mounts, checkout)) {
                    left.add(checkout);
                    continue;
                }
                HostTrees.removeQuietly(checkout);
                Files.deleteIfExists(used(checkout));
                over--;
            }
            return left;
        } catch (IOException e) {
            // eviction waits for the next checkout
            return List.of();
        }
    }

    /** The checkouts in {@link #dir}: directories named by a tree id, with stubs or not (not the partial ones being made). */
    private List<Path> list() throws IOException {
        List<Path> checkouts = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().matches("[0-9a-f]{64}(" + WITH_STUBS + ")?") && Files.isDirectory(entry)) {
                    checkouts.add(entry);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return checkouts;
        }
        return checkouts;
    }

    /** Whether an overlay names the checkout as a lower layer (mount(8) writes it as lowerdir=PATH). */
    static boolean mountedOn(String mountinfo, Path checkout) {
        String lower = checkout.toString();
        for (String line : mountinfo.split("\n")) {
            int at = line.indexOf(lower);
            while (at >= 0) {
                int end = at + lower.length();
                boolean whole = end == line.length() || ",: /".indexOf(line.charAt(end)) >= 0;
                boolean named = at > 0 && "=:".indexOf(line.charAt(at - 1)) >= 0;
                if (whole && named) {
                    return true;
                }
                at = line.indexOf(lower, at + 1);
            }
        }
        return false;
    }

    private static FileTime lastUsed(Path checkout) {
        try {
            return Files.getLastModifiedTime(Files.exists(used(checkout)) ? used(checkout) : checkout);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
