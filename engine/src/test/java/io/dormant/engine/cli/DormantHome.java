package io.dormant.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Dormant of its own for each test, registered with {@code @RegisterExtension}: a directory under
 * /var/tmp holding its home, checkouts and scratch (the embedded PostgreSQL runs as an unprivileged
 * user, who cannot reach a directory under root's home), and the CLI run as a process against it.
 * After the test its database is stopped, an overlay a halted apply left mounted (as a crash would)
 * is unmounted, and the directory is removed.
 */
final class DormantHome implements BeforeEachCallback, AfterEachCallback {

    private final String prefix;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path temp;
    private Map<String, String> variables;
    private DormantProcess dormant;

    private DormantHome(String prefix) {
        this.prefix = prefix;
    }

    /** A home in a new directory /var/tmp/PREFIX-*. */
    static DormantHome named(String prefix) {
        return new DormantHome(prefix);
    }

    /** Runs the CLI with this variable too (DORMANT_RESIDENT, DORMANT_ADMIN_PASSWORD, …). */
    DormantHome with(String name, String value) {
        environment.put(name, value);
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        temp = Files.createTempDirectory(Path.of("/var/tmp"), prefix + "-");
        variables = new LinkedHashMap<>(Map.of("DORMANT_HOME", home().toString(),
                "DORMANT_CHECKOUTS", checkouts().toString(), "DORMANT_SCRATCH", temp.resolve("scratch").toString()));
        variables.putAll(environment);
        dormant = new DormantProcess(variables, temp.resolve("cli.log"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (temp == null) {
            return;
        }
        dormant.run("db", "stop");
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String mountPoint = line.split(" ")[1];
            if (mountPoint.startsWith(temp + "/")) {
                Commands.run("umount", "-l", mountPoint);
            }
        }
        Commands.run("rm", "-rf", "--one-file-system", temp.toString());
        temp = null;
    }

    /** The test's own directory: packages it builds, trees it exports. */
    Path temp() {
        return temp;
    }

    Path home() {
        return temp.resolve("home");
    }

    Path checkouts() {
        return temp.resolve("checkouts");
    }

    DormantProcess dormant() {
        return dormant;
    }

    /** Another CLI process on the same home, with one more variable (DORMANT_RESIDENT=1: a resident one). */
    DormantProcess dormantWith(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(variables);
        more.put(name, value);
        return new DormantProcess(more, temp.resolve("cli.log"));
    }

    /** Imports the debootstrapped tree as image "base" (skipping the test without it). */
    void importBase() throws IOException, InterruptedException {
        DormantProcess.Outcome imported = dormant.run("image", "import", "base", TestRootfs.debian().toString());
        assertThat(imported.exitCode()).as(imported.output()).isZero();
    }
}
