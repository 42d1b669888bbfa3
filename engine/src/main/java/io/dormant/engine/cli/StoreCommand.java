package io.dormant.engine.cli;

import io.dormant.library.maintenance.FsckResult;
import io.dormant.library.maintenance.GcResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dormant store fsck|gc}: how a user checks and tidies the content store. */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Check (fsck) or clean up (gc) the content store.")
final class StoreCommand {

    @Option(names = "--json", scope = picocli.CommandLine.ScopeType.INHERIT, description = "Print the result as JSON.")
    boolean json;

    @Command(name = "fsck", mixinStandardHelpOptions = true,
            description = "Verify that every object a version reaches is present and intact. Exit 1 on any problem.")
    int fsck() {
        FsckResult result;
        try (ConsoleProgress progress = new ConsoleProgress("checking", System.err, !json)) {
            result = LibraryAccess.open().fsck(progress);
        }
        if (json) {
            Json.print(result);
        } else {
            System.out.printf("checked %d versions: %,d objects, %s%n", result.versions(), result.objects(), Sizes.human(result.bytes()));
            for (FsckResult.Problem p : result.problems()) {
                System.out.printf("  %s %s: %s (in %s at %s)%n", p.kind(), p.object().substring(0, 12), p.fault(),
                        p.version(), p.path());
            }
            System.out.println(result.clean() ? "store is consistent"
                    : result.problems().size() + " problems; restore the objects from a backup or re-import the versions named");
        }
        return result.clean() ? 0 : 1;
    }

    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Remove objects that no version reaches (left by failed imports or discarded workspaces).")
    int gc() {
        GcResult result = LibraryAccess.open().gc();
        if (json) {
            Json.print(result);
        } else {
            System.out.printf("removed %,d unreachable objects and %d unfinished packs (%s), kept %,d objects%n",
                    result.objectsRemoved(), result.unfinishedPacks(), Sizes.human(result.bytesFreed()), result.objectsKept());
        }
        return 0;
    }
}
