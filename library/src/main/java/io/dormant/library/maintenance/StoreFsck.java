package io.dormant.library.maintenance;

import io.dormant.library.catalogue.ImageCatalogue;
import io.dormant.library.catalogue.ImageVersion;
import io.dormant.library.catalogue.StagedVersion;
import io.dormant.library.catalogue.StagedVersions;
import io.dormant.library.progress.Progress;
import io.dormant.library.store.ContentStore;
import io.dormant.library.store.ObjectId;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code store fsck}: every object that some version reaches is present and its bytes hash to its
 * name. This is how a user trusts the store, so it reads everything, using every core.
 */
public final class StoreFsck {

    private final ContentStore store;
    private final ImageCatalogue catalogue;

    public StoreFsck(ContentStore store, ImageCatalogue catalogue) {
        this.store = store;
        this.catalogue = catalogue;
    }

    public FsckResult run(Progress progress) {
        List<FsckResult.Problem> problems = Collections.synchronizedList(new ArrayList<>());
        ReachableObjects reachable = new ReachableObjects(store);
        Map<String, ObjectId> roots = roots(catalogue);
        // The versions read above name only published objects: check the packs published until now.
        try {
            for (ContentStore.PackProblem p : store.verifyPacks()) {
                problems.add(new FsckResult.Problem(p.pack(), "-", p.index().toString(), "pack index", p.fault()));
            }
        } catch (IOException e) {
            problems.add(new FsckResult.Problem(store.root().toString(), "-", store.root().resolve("packs").toString(),
                    "pack index", "the packs cannot be listed: " + e.getMessage()));
        }
        roots.forEach((label, root) -> reachable.walk(root, label, (tree, origin, e) -> problems.add(problem(tree, origin,
                store.has(tree) ? "tree cannot be read: " + e.getMessage() : "missing"))));
        AtomicLong bytes = new AtomicLong();
        reachable.objects().entrySet().parallelStream().forEach(object -> {
            String fault = verify(object.getKey(), bytes, progress);
            if (fault != null && problems.stream().noneMatch(p -> p.object().equals(object.getKey().hex()))) {
                problems.add(problem(object.getKey(), object.getValue(), fault));
            }
        });
        problems.sort(java.util.Comparator.comparing(FsckResult.Problem::version).thenComparing(FsckResult.Problem::path));
        return new FsckResult(roots.size(), reachable.objects().size(), bytes.get(), List.copyOf(problems));
    }

    private String verify(ObjectId id, AtomicLong bytes, Progress progress) {
        if (!store.has(id)) {
            return "missing";
        }
        MessageDigest sha256 = ObjectId.sha256();
        long size = 0;
        try (InputStream in = store.open(id)) {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
                size += n;
            }
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        bytes.addAndGet(size);
        progress.advance(1, size);
        ObjectId actual = ObjectId.of(sha256.digest());
        return actual.equals(id) ? null : "corrupt: its bytes hash to " + actual.hex();
    }

    private static FsckResult.Problem problem(ObjectId id, ReachableObjects.Origin origin, String fault) {
        return new FsckResult.Problem(id.hex(), origin == null ? "?" : origin.version(),
                origin == null ? "?" : origin.path(), origin != null && origin.tree() ? "tree" : "blob", fault);
    }

    /** For callers that only need the map of what is reachable (gc). */
    static Map<ObjectId, ReachableObjects.Origin> reachableFrom(ContentStore store, ImageCatalogue catalogue) {
        ReachableObjects reachable = new ReachableObjects(store);
        roots(catalogue).forEach((label, root) -> reachable.walk(root, label, (tree, origin, e) -> {
            throw new IllegalStateException(label + " names a tree that cannot be read ("
                    + tree.hex() + "): " + e.getMessage() + "; run 'dormant store fsck' and restore it before gc");
        }));
        return reachable.objects();
    }

    /**
     * What the store must keep, by the name a report gives it: every version, and every staged result
     * that waits for an approval ("staged 7 of web@3").
     */
    private static Map<String, ObjectId> roots(ImageCatalogue catalogue) {
        Map<String, ObjectId> roots = new java.util.LinkedHashMap<>();
        for (ImageVersion version : catalogue.allVersions()) {
            roots.put(version.ref(), version.root());
        }
        for (StagedVersion staged : new StagedVersions(catalogue).all()) {
            roots.put("staged " + staged.id() + " of " + staged.parentRef(), staged.root());
        }
        return roots;
    }
}
