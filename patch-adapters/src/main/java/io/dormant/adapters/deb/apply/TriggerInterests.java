package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DebTriggerDirective;
import io.dormant.adapters.deb.DebTriggers;
import io.dormant.adapters.deb.DpkgTriggerInterest;
import io.dormant.adapters.deb.DpkgTriggers;
import io.dormant.adapters.rootfs.RootedFiles;
import io.dormant.library.posix.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * dpkg's record of which packages are interested in which triggers ({@code triggers/File} for file
 * triggers, {@code triggers/<name>} for explicit ones), kept as dpkg keeps it when it installs a
 * package's control files: each interest of the old version's triggers file is taken out, then each
 * of the new version's is added. An added file interest goes to the end of {@code File} (so an
 * upgraded package's lines move there even when they did not change), an added explicit interest
 * to the end of its trigger's file; a file left empty is removed.
 */
final class TriggerInterests {

    private static final String DIR = DpkgDatabaseUpdater.ADMIN + "/triggers";

    private final RootedFiles image;
    private final List<DpkgTriggerInterest> fileInterests;
    private boolean changed;

    TriggerInterests(RootedFiles image, DpkgTriggers current) {
        this.image = image;
        this.fileInterests = new ArrayList<>(current.fileInterests());
    }

    /**
     * @param oldOwner    the name the old version is recorded under (its info name), null when none is installed
     * @param oldTriggers the old version's triggers file
     * @param newOwner    the name the new version is recorded under
     * @return whether any interest was taken out or added (then the trigger state must be read again)
     */
    boolean replace(String oldOwner, DebTriggers oldTriggers, String newOwner, DebTriggers newTriggers) throws IOException {
        boolean fileEdited = false;
        boolean edited = false;
        if (oldOwner != null) {
            for (DebTriggerDirective interest : oldTriggers.interests()) {
                edited = true;
                if (interest.isFileTrigger()) {
                    fileEdited |= fileInterests.removeIf(i -> i.trigger().equals(interest.trigger())
                            && i.packageName().equals(oldOwner));
                } else {
                    changeExplicit(interest.trigger(), oldOwner, null);
                }
            }
        }
        for (DebTriggerDirective interest : newTriggers.interests()) {
            edited = true;
            boolean noawait = interest.kind() == DebTriggerDirective.Kind.INTEREST_NOAWAIT;
            if (interest.isFileTrigger()) {
                fileEdited = true;
                DpkgTriggerInterest added = new DpkgTriggerInterest(interest.trigger(), newOwner, noawait);
                int at = indexOf(interest.trigger(), newOwner);
                if (at >= 0) {
                    fileInterests.set(at, added); // dpkg only updates the options of an interest it has
                } else {
                    fileInterests.add(added);
                }
            } else {
                changeExplicit(interest.trigger(), newOwner, newOwner + (noawait ? "/noawait" : ""));
            }
        }
        if (fileEdited) {
            saveFileInterests();
        }
        changed |= edited;
        return edited;
    }

    /** Whether any interest was taken out or added since the last call. */
    boolean takeChanged() {
        boolean was = changed;
        changed = false;
        return was;
    }

    private int indexOf(String trigger, String owner) {
        for (int i = 0; i < fileInterests.size(); i++) {
            if (fileInterests.get(i).trigger().equals(trigger) && fileInterests.get(i).packageName().equals(owner)) {
                return i;
            }
        }
        return -1;
    }

    /** Rewrites {@code triggers/<trigger>} without {@code owner}'s line, then with {@code line} at the end if given. */
    private void changeExplicit(String trigger, String owner, String line) throws IOException {
        Path file = image.resolve(DIR + "/" + trigger, false);
        List<String> lines = new ArrayList<>();
        if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            for (String existing : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!existing.equals(owner) && !existing.startsWith(owner + "/")) {
                    lines.add(existing);
                }
            }
        }
        if (line != null) {
            lines.add(line);
        }
        if (lines.isEmpty()) {
            Files.deleteIfExists(file);
        } else {
            write(file, lines);
        }
    }

    private void saveFileInterests() throws IOException {
        Path file = image.resolve(DIR + "/File", false);
        if (fileInterests.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        List<String> lines = new ArrayList<>();
        for (DpkgTriggerInterest interest : fileInterests) {
            lines.add(interest.trigger() + " " + interest.packageName() + (interest.noawait() ? "/noawait" : ""));
        }
        write(file, lines);
    }

    private static void write(Path file, List<String> lines) throws IOException {
        if (!Files.isDirectory(file.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(file.getParent()); // as dpkg makes its triggers directory, 0755 root
            Posix.chmod(file.getParent(), 0755);
        }
        DpkgDatabaseUpdater.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), 0644);
    }
}
