package io.dormant.adapters.confine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Helper commands of a confined script answered by the JVM: the shim hands each call over, the
 * answer's exit code and standard error reach the script, a call the JVM does not answer runs the
 * image's own command, and a script that swaps the call's files for symlinks reaches nothing of the host.
 */
class ForwardedCallsIT {

    private ConfineFixture.MountedImage image;
    private OverlayMount overlay;
    private final List<HelperCall> seen = Collections.synchronizedList(new ArrayList<>());

    /** Answers "dpkg-maintscript-helper": "ok" for exit 0, "fail" for exit 3 with a message, anything else runs. */
    private final HelperCalls calls = new HelperCalls() {
        @Override
        public Set<String> commands() {
            return Set.of("dpkg-maintscript-helper");
        }

        @Override
        public Optional<HelperReply> answer(Path root, HelperCall call) throws java.io.IOException {
            seen.add(call);
            return switch (call.args().isEmpty() ? "" : call.args().get(0)) {
                case "ok" -> {
                    Files.writeString(root.resolve("tmp-answered"), String.join("|", call.args()));
                    yield Optional.of(HelperReply.done("ok"));
                }
                case "fail" -> Optional.of(HelperReply.exit(3, "it failed: " + call.env("DPKG_MAINTSCRIPT_PACKAGE") + "\n", "fail"));
                default -> Optional.empty();
            };
        }
    };

    @BeforeEach
    void mountOverlay() throws Exception {
        ConfineFixture.assumeSandboxTools();
        image = ConfineFixture.MountedImage.of(ConfineFixture.minbase());
        overlay = image.overlay();
    }

    @AfterEach
    void unmount() throws Exception {
        if (image != null) {
            image.close();
        }
    }

    @Test
    void answeredCallsGiveTheirExitCodeAndMessageAndOthersRunTheImagesCommand() throws Exception {
        ConfinedResult result = new ConfinedScript().answering(calls).run(overlay.merged(), ConfineFixture.script("""
                #!/bin/sh
                set -e
                dpkg-maintscript-helper ok 'two words' '' "it's" -- configure 1.0
                /usr/bin/dpkg-maintscript-helper fail x || echo "fail exit $?"
                dpkg-maintscript-helper supports rm_conffile && echo "supports from the image's own"
                echo done
                """).withTimeout(java.time.Duration.ofSeconds(20)));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("it failed: dormant-test\\nfail exit 3".replace("\\n", "\n"))
                .contains("supports from the image's own").contains("done");
        assertThat(Files.readString(overlay.merged().resolve("tmp-answered")))
                .isEqualTo("ok|two words||it's|--|configure|1.0");
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0).env("DPKG_MAINTSCRIPT_NAME")).isEqualTo("postinst");
        assertThat(seen.get(0).environment()).doesNotContainKey("DPKG_MAINTSCRIPT_DEBUG");
        assertThat(result.helperCalls()).containsExactly("ok", "fail");
    }

    /** More calls than slots, one after another and a dozen at once: each slot is emptied and taken again. */
    @Test
    void slotsAreTakenAgainAfterEachCallAndByCallsAtOnce() throws Exception {
        ConfinedResult result = new ConfinedScript().answering(calls).run(overlay.merged(), ConfineFixture.script("""
                #!/bin/sh
                set -e
                i=0
                while [ $i -lt 40 ]; do
                    dpkg-maintscript-helper ok one-after-another $i
                    i=$((i + 1))
                done
                for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
                    dpkg-maintscript-helper ok at-once $i &
                done
                wait
                dpkg-maintscript-helper fail last || echo "fail exit $?"
                """).withTimeout(java.time.Duration.ofSeconds(60)));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("fail exit 3");
        assertThat(seen).as(result.output()).hasSize(53);
        assertThat(seen.stream().filter(c -> c.args().contains("at-once"))).hasSize(12);
        assertThat(result.helperCalls()).hasSize(53);
    }

    @Test
    void aCallWhoseFilesAreSwappedForSymlinksWritesNothingOutsideTheCall() throws Exception {
        Path outside = Files.createTempDirectory("forwarded-outside");
        Path target = Files.writeString(outside.resolve("reply"), "host file\n");
        Files.writeString(outside.resolve("request"), "dpkg-maintscript-helper\n1\nok\n");
        try {
            // The script cannot name the host directory; the test plays a script that could, by
            // putting the symlink where the shim keeps its call.
            ConfinedResult result = new ConfinedScript().answering(calls).run(overlay.merged(), ConfineFixture.script("""
                    #!/bin/sh
                    d=/run/dormant/calls/slot.0
                    : > $d/lock
                    rm -f $d/reply $d/request && ln -s %s $d/request && ln -s %s $d/reply
                    echo slot.0 > /run/dormant/calls/requests
                    ln -s %s $d/stdout && echo "done slot.0" > /run/dormant/calls/requests
                    sleep 1
                    echo still here
                    """.formatted(outside.resolve("request"), target, target)).withTimeout(java.time.Duration.ofSeconds(20)));

            assertThat(result.output()).contains("still here");
            assertThat(Files.readString(target)).isEqualTo("host file\n");
            assertThat(outside.resolve("request")).exists();
            assertThat(seen).isEmpty();
        } finally {
            ConfineFixture.removeScratch(outside);
        }
    }
}
