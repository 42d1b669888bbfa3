package io.dormant.engine.cli;

import io.dormant.adapters.deb.apply.DebCache;
import io.dormant.engine.policy.RememberedPolicy;
import io.dormant.library.DormantHome;
import io.dormant.library.fs.LeastRecentlyUsed;
import io.dormant.library.images.LibraryCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dormant cache [show] | clear [NAME…]}: what the caches hold, and removing it. Each cache
 * is bounded on its own (docs/operations.md); this is for an admin who wants the room back now,
 * after a campaign. Clearing loses nothing: the next apply that needs an entry makes it again.
 * Needs no database, so it answers at once.
 */
@Command(name = "cache", mixinStandardHelpOptions = true,
        description = {"Show what the caches hold, or clear them.",
                "Everything in them can be made again: clearing costs only the next apply's time."})
final class CacheCommand implements Callable<Integer> {

    static final String CHECKOUTS = "checkouts";
    static final String ACTION_POLICY = "action-policy";

    /**
     * One cache in one place. Its limit is in bytes or in entries (the other null), or neither when
     * it has none; {@code limit} says it in words.
     */
    record CacheUse(String name, String where, long entries, long bytes, Long limitBytes, Integer limitEntries,
                    String limit, String what) {
    }

    /** What {@code clear} removed, and what it kept for being in use. */
    record Cleared(List<CacheUse> removed, List<String> keptInUse) {
    }

    @Option(names = "--json", scope = picocli.CommandLine.ScopeType.INHERIT, description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        return show();
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "List each cache: entries, size, limit, where.")
    int show() throws IOException {
        List<CacheUse> uses = uses(cache());
        if (json) {
            Json.print(uses);
            return 0;
        }
        Table table = new Table("CACHE", "ENTRIES", "SIZE", "LIMIT", "WHERE");
        for (CacheUse use : uses) {
            table.row(use.name(), String.format("%,d", use.entries()), Sizes.human(use.bytes()), use.limit(), use.where());
        }
        table.print();
        System.out.println("Everything here can be made again; 'dormant cache clear [NAME...]' removes it now.");
        return 0;
    }

    @Command(name = "clear", mixinStandardHelpOptions = true,
            description = {"Remove the entries of the caches named (all when none is): "
                    + CHECKOUTS + ", " + "deb-data, byte-compile, " + ACTION_POLICY + ".",
                    "Checkouts an apply is using (mounted, or made in the last minutes) are kept."})
    int clear(@Parameters(arity = "0..*", paramLabel = "NAME", description = "Caches to clear.") List<String> names)
            throws IOException {
        LibraryCache cache = cache();
        Set<String> chosen = chosen(names);
        List<CacheUse> before = uses(cache);
        List<String> kept = new ArrayList<>();
        if (chosen.contains(CHECKOUTS)) {
            cache.clearCheckouts().forEach(path -> kept.add(path.toString()));
        }
        for (DebCache deb : DebCache.values()) {
            if (chosen.contains(deb.directory())) {
                LeastRecentlyUsed.trim(cache.dir(deb.directory()), deb.entries(), 0);
            }
        }
        if (chosen.contains(ACTION_POLICY)) {
            LeastRecentlyUsed.trim(cache.dir(), RememberedPolicy.FILES, 0);
        }
        List<CacheUse> after = uses(cache);
        List<CacheUse> removed = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            CacheUse was = before.get(i);
            CacheUse now = after.get(i);
            if (chosen.contains(was.name())) {
                removed.add(new CacheUse(was.name(), was.where(), was.entries() - now.entries(), was.bytes() - now.bytes(),
                        was.limitBytes(), was.limitEntries(), was.limit(), was.what()));
            }
        }
        if (json) {
            Json.print(new Cleared(removed, kept));
            return 0;
        }
        long bytes = 0;
        for (CacheUse use : removed) {
            System.out.printf("%-13s removed %,d (%s) from %s%n", use.name(), use.entries(), Sizes.human(use.bytes()), use.where());
            bytes += use.bytes();
        }
        System.out.println("freed " + Sizes.human(bytes));
        if (!kept.isEmpty()) {
            System.out.println("kept " + kept.size() + " checkout(s) in use (mounted, or checked out within the last "
                    + LibraryCache.inUseFor().toMinutes() + " minutes); clear again when the applies using them are done:");
            kept.forEach(path -> System.out.println("  " + path));
        }
        return 0;
    }

    private static LibraryCache cache() {
        return LibraryCache.of(DormantHome.resolve(System.getenv()), System.getenv());
    }

    private static Set<String> chosen(List<String> names) {
        List<String> known = new ArrayList<>(List.of(CHECKOUTS));
        for (DebCache deb : DebCache.values()) {
            known.add(deb.directory());
        }
        known.add(ACTION_POLICY);
        if (names == null || names.isEmpty()) {
            return new LinkedHashSet<>(known);
        }
        for (String name : names) {
            if (!known.contains(name)) {
                throw new UserError("there is no cache named '" + name + "'; the caches are " + String.join(", ", known)
                        + " ('dormant cache' lists them)");
            }
        }
        return new LinkedHashSet<>(names);
    }

    /** Every cache, each place of checkouts on its own row, in a fixed order. */
    static List<CacheUse> uses(LibraryCache cache) throws IOException {
        List<CacheUse> uses = new ArrayList<>();
        for (LibraryCache.CheckoutPlace place : cache.checkoutPlaces()) {
            boolean bounded = place.kept() != Integer.MAX_VALUE;
            uses.add(new CacheUse(CHECKOUTS, place.dir().toString(), place.checkouts(), place.bytes(), null,
                    bounded ? place.kept() : null, bounded ? place.kept() + " checkouts" : "none (DORMANT_CHECKOUTS)",
                    place.memory() ? "version trees that applies mount, in memory" : "version trees that applies mount"));
        }
        for (DebCache deb : DebCache.values()) {
            Path dir = cache.dir(deb.directory());
            LeastRecentlyUsed.Usage usage = LeastRecentlyUsed.usage(dir, deb.entries());
            uses.add(new CacheUse(deb.directory(), dir.toString(), usage.entries(), usage.bytes(), deb.sizeLimit(), null,
                    Sizes.human(deb.sizeLimit()), deb.what()));
        }
        LeastRecentlyUsed.Usage policy = LeastRecentlyUsed.usage(cache.dir(), RememberedPolicy.FILES);
        uses.add(new CacheUse(ACTION_POLICY, cache.dir().toString(), policy.entries(), policy.bytes(), null, null, "-",
                "answers of the shipped action policy to kinds it does not list"));
        return uses;
    }
}
