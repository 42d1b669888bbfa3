package io.dormant.adapters.firstboot;

import io.dormant.library.tree.EntryType;
import io.dormant.library.tree.Metadata;
import io.dormant.library.workspace.Workspace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The first-boot queue of a Linux image: numbered step scripts under
 * {@code /var/lib/dormant/firstboot/steps}, run once in order by {@code /usr/lib/dormant/firstboot},
 * which a self-removing systemd oneshot unit starts (a SysV init script on images that boot
 * another init, registered with insserv's boot order where the image has one).
 * Steps of later patch runs are appended after those already queued.
 */
public final class FirstBootQueue {

    public static final String STEPS = "/var/lib/dormant/firstboot/steps";
    public static final String RUNNER = "/usr/lib/dormant/firstboot";
    public static final String UNIT = "/etc/systemd/system/dormant-firstboot.service";
    public static final String UNIT_LINK = "/etc/systemd/system/multi-user.target.wants/dormant-firstboot.service";
    public static final String INIT_SCRIPT = "/etc/init.d/dormant-firstboot";

    private final Workspace workspace;
    private final List<String> written = new ArrayList<>();

    public FirstBootQueue(Workspace workspace) {
        this.workspace = workspace;
    }

    /** Queues a step and makes sure the runner that will run it is installed; returns the step's path. */
    public String add(DeferredStep step) {
        try {
            ensureDirectories(STEPS);
            String path = STEPS + "/" + String.format("%04d", nextNumber()) + "-" + slug(step.packageName())
                    + "-" + slug(step.phase()) + ".sh";
            workspace.write(path, bytes(script(step)), root(0700));
            installRunner();
            written.add(path);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot queue a first-boot step of " + step.packageName() + ": " + e.getMessage(), e);
        }
    }

    /** The step files this queue wrote, in order. */
    public List<String> written() {
        return List.copyOf(written);
    }

    private int nextNumber() throws IOException {
        int highest = 0;
        for (var entry : workspace.list(STEPS)) {
            String name = entry.nameString();
            if (name.length() > 4 && name.substring(0, 4).chars().allMatch(Character::isDigit)) {
                highest = Math.max(highest, Integer.parseInt(name.substring(0, 4)));
            }
        }
        return highest + 1;
    }

    private void installRunner() throws IOException {
        if (workspace.exists(RUNNER)) {
            return;
        }
        ensureDirectories("/usr/lib/dormant");
        workspace.write(RUNNER, resource("firstboot-runner.sh"), root(0755));
        boolean systemd = hasSystemd();
        if (systemd) {
            ensureDirectories("/etc/systemd/system/multi-user.target.wants");
            workspace.write(UNIT, resource("dormant-firstboot.service"), root(0644));
            if (!workspace.exists(UNIT_LINK)) {
                workspace.symlink(UNIT_LINK, UNIT, root(0777));
            }
        }
        // systemd installed does not mean systemd boots: sysvinit-core's /sbin/init may be the init.
        if (!systemd || bootsAnotherInit()) {
            ensureDirectories("/etc/init.d");
            workspace.write(INIT_SCRIPT, resource("dormant-firstboot.init"), root(0755));
            for (int level = 2; level <= 5; level++) {
                String link = "/etc/rc" + level + ".d/S99dormant-firstboot";
                ensureDirectories("/etc/rc" + level + ".d");
                if (!workspace.exists(link)) {
                    workspace.symlink(link, "../init.d/dormant-firstboot", root(0777));
                }
            }
            new InsservOrder(workspace).startLast("dormant-firstboot");
        }
    }

    private boolean hasSystemd() throws IOException {
        return workspace.exists("/lib/systemd/systemd") || workspace.exists("/usr/lib/systemd/systemd");
    }

    /** /sbin/init is there and is not systemd (sysvinit-core's binary, or a link to another init). */
    private boolean bootsAnotherInit() throws IOException {
        if (!workspace.exists("/sbin/init")) {
            return false;
        }
        var init = workspace.lstat("/sbin/init");
        return init.type() != EntryType.SYMLINK
                || !new String(init.target(), StandardCharsets.UTF_8).endsWith("/systemd");
    }

    private void ensureDirectories(String path) throws IOException {
        StringBuilder current = new StringBuilder();
        for (String part : path.substring(1).split("/")) {
            current.append('/').append(part);
            if (!workspace.exists(current.toString())) {
                workspace.mkdir(current.toString(), root(0755));
            }
        }
    }

    private static String script(DeferredStep step) {
        return "#!/bin/sh\n"
                + "# Deferred by Dormant from " + step.packageName() + " (" + step.phase() + ")\n"
                + "# Why: " + step.reason().replace('\n', ' ') + "\n"
                + "set -e\n"
                + step.commands().strip() + "\n";
    }

    private static String slug(String text) {
        String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.+-]+", "-").replaceAll("(^-+|-+$)", "");
        return slug.isEmpty() ? "step" : slug.substring(0, Math.min(slug.length(), 40));
    }

    private static Metadata root(int mode) {
        Instant now = Instant.now();
        return Metadata.of(mode, 0, 0, now.getEpochSecond(), now.getNano());
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream resource(String name) {
        InputStream in = FirstBootQueue.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the jar lacks " + name);
        }
        return in;
    }
}
