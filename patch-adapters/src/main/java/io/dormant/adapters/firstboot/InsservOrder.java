package io.dormant.adapters.firstboot;

import io.dormant.library.tree.EntryType;
import io.dormant.library.workspace.Stat;
import io.dormant.library.workspace.Workspace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * insserv's record of the boot order, {@code /etc/init.d/.depend.start}. Where it exists, Debian's
 * {@code /etc/init.d/rc} boots "makefile-style" through startpar, which starts only the scripts
 * listed there, whatever links {@code /etc/rcN.d} holds: a script given links alone never runs.
 */
final class InsservOrder {

    static final String DEPEND_START = "/etc/init.d/.depend.start";
    private static final Pattern START_LINK = Pattern.compile("S[0-9]{2}(.+)");

    private final Workspace workspace;

    InsservOrder(Workspace workspace) {
        this.workspace = workspace;
    }

    /**
     * Lists the script to start after every other script the runlevels 2 to 5 start, as insserv
     * records one whose Required-Start is {@code $all}: last in TARGETS, depending on all of them.
     * Nothing changes without the file, in another format, or when it lists the script already.
     */
    void startLast(String script) throws IOException {
        if (!workspace.exists(DEPEND_START)) {
            return;
        }
        Stat order = workspace.lstat(DEPEND_START);
        if (order.type() != EntryType.FILE) {
            return;
        }
        List<String> lines = new ArrayList<>(new String(workspace.readAllBytes(DEPEND_START), StandardCharsets.UTF_8).lines().toList());
        int at = targetsLine(lines);
        if (at < 0) {
            return;
        }
        String listed = lines.get(at).substring(lines.get(at).indexOf('=') + 1).strip();
        List<String> targets = listed.isEmpty() ? List.of() : Arrays.asList(listed.split("\\s+"));
        if (targets.contains(script)) {
            return;
        }
        Set<String> started = startedInMultiUserLevels();
        List<String> before = targets.stream().filter(started::contains).toList();
        lines.set(at, "TARGETS = " + String.join(" ", Stream.concat(targets.stream(), Stream.of(script)).toList()));
        if (!before.isEmpty()) {
            lines.add(script + ": " + String.join(" ", before));
        }
        byte[] content = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        workspace.write(DEPEND_START, new ByteArrayInputStream(content), order.meta());
    }

    private static int targetsLine(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("TARGETS\\s*=.*")) {
                return i;
            }
        }
        return -1;
    }

    private Set<String> startedInMultiUserLevels() throws IOException {
        Set<String> started = new LinkedHashSet<>();
        for (int level = 2; level <= 5; level++) {
            String directory = "/etc/rc" + level + ".d";
            if (!workspace.exists(directory)) {
                continue;
            }
            for (var entry : workspace.list(directory)) {
                Matcher link = START_LINK.matcher(entry.nameString());
                if (link.matches()) {
                    started.add(link.group(1));
                }
            }
        }
        return started;
    }
}
