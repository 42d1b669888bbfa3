package io.dormant.adapters.deb.emulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.confine.ConfinedResult;
import io.dormant.adapters.confine.ConfinedScript;
import io.dormant.adapters.confine.OverlayMount;
import io.dormant.adapters.confine.ScriptInvocation;
import io.dormant.adapters.deb.ucf.UcfHelpers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ucf and ucfr answered by {@link UcfHelpers} against the image's own ucf 3.0 (with its debconf
 * frontend), on two overlays of the service image: for each case the same exit code and the same
 * tree, where ucf keeps its records included; the calls it would ask about run ucf itself.
 */
class UcfEmulationIT {

    /** Each case: the maintainer's new version, the file in /etc, and the md5 registered for it. */
    private static final String SCRIPT = """
            #!/bin/sh
            md5() { printf '%s\\n' "$1" | md5sum | cut -d' ' -f1; }
            register() { echo "$(md5 "$2")  /etc/dormant-ucf/$1" >> /var/lib/ucf/hashfile; }
            mkdir -p /usr/share/dormant-ucf /etc/dormant-ucf
            printf 'v2\\n' > /usr/share/dormant-ucf/same.conf; printf 'local\\n' > /etc/dormant-ucf/same.conf
            register same.conf v2
            printf 'v2 of replaced\\n' > /usr/share/dormant-ucf/replaced.conf; printf 'v1\\n' > /etc/dormant-ucf/replaced.conf
            chmod 640 /etc/dormant-ucf/replaced.conf; chgrp adm /etc/dormant-ucf/replaced.conf
            register replaced.conf v1
            printf 'v3\\n' > /usr/share/dormant-ucf/taken.conf; printf 'v3\\n' > /etc/dormant-ucf/taken.conf
            register taken.conf v0
            printf 'v4\\n' > /usr/share/dormant-ucf/asked.conf; printf 'mine\\n' > /etc/dormant-ucf/asked.conf
            register asked.conf v0
            printf 'dormant-ucf \\t /etc/dormant-ucf/same.conf\\n' >> /var/lib/ucf/registry
            ucf /usr/share/dormant-ucf/same.conf /etc/dormant-ucf/same.conf; echo "same $?"
            ucf --three-way /usr/share/dormant-ucf/replaced.conf /etc/dormant-ucf/replaced.conf; echo "replaced $?"
            ucf --debconf-ok /usr/share/dormant-ucf/taken.conf /etc/dormant-ucf/taken.conf; echo "taken $?"
            ucf /usr/share/dormant-ucf/asked.conf /etc/dormant-ucf/asked.conf; echo "asked $?"
            ucfr dormant-ucf /etc/dormant-ucf/same.conf; echo "ucfr registered $?"
            ucfr dormant-ucf /etc/dormant-ucf/replaced.conf; echo "ucfr new $?"
            UCF_FORCE_CONFFNEW=1 ucf /usr/share/dormant-ucf/same.conf /etc/dormant-ucf/same.conf; echo "forced $?"
            """;

    private Path scratch;

    @BeforeEach
    void scratch() throws Exception {
        scratch = EmulateFixture.scratch("ucf-it");
    }

    @AfterEach
    void removeScratch() throws Exception {
        EmulateFixture.remove(scratch);
    }

    @Test
    void answeredCallsLeaveTheTreeAndRecordsUcfItselfLeaves() throws Exception {
        Path image = EmulateFixture.serviceImage();
        ScriptInvocation invocation = ScriptInvocation.of("dormant-ucf", "postinst", SCRIPT.getBytes(StandardCharsets.UTF_8),
                List.of("configure", "1.0-1"));
        try (OverlayMount real = OverlayMount.mount(image, Files.createDirectories(scratch.resolve("real")));
             OverlayMount emulated = OverlayMount.mount(image, Files.createDirectories(scratch.resolve("emulated")))) {
            ConfinedResult byTools = new ConfinedScript().run(real.merged(), invocation);
            ConfinedResult answered = new ConfinedScript().answering(new UcfHelpers(() -> true)).run(emulated.merged(), invocation);

            assertThat(byTools.succeeded()).as(byTools.output()).isTrue();
            assertThat(exitCodes(answered.output())).isEqualTo(exitCodes(byTools.output()));
            assertThat(withoutBackups(EmulateFixture.effect(emulated))).isEqualTo(withoutBackups(EmulateFixture.effect(real)));
            assertThat(answered.helperCalls()).hasSize(4)
                    .anyMatch(c -> c.startsWith("ucf /usr/share/dormant-ucf/same.conf") && c.contains("nothing to do"))
                    .anyMatch(c -> c.startsWith("ucf --three-way /usr/share/dormant-ucf/replaced.conf") && c.contains("replaced"))
                    .anyMatch(c -> c.startsWith("ucf --debconf-ok /usr/share/dormant-ucf/taken.conf") && c.contains("registered"))
                    .anyMatch(c -> c.startsWith("ucfr dormant-ucf /etc/dormant-ucf/same.conf"));
            // The cases' outcomes, as ucf itself gave them.
            Path etc = real.merged().resolve("etc/dormant-ucf");
            assertThat(etc.resolve("same.conf")).hasContent("local");
            assertThat(etc.resolve("replaced.conf")).hasContent("v2 of replaced");
            assertThat(Files.getPosixFilePermissions(etc.resolve("replaced.conf")))
                    .isEqualTo(Files.getPosixFilePermissions(emulated.merged().resolve("etc/dormant-ucf/replaced.conf")));
            assertThat(etc.resolve("asked.conf")).hasContent("mine");
            assertThat(real.merged().resolve("var/lib/ucf/cache/:etc:dormant-ucf:replaced.conf")).hasContent("v2 of replaced");
            assertThat(byTools.output()).contains("same 0", "replaced 0", "taken 0", "asked 0", "ucfr registered 0", "ucfr new 0");
        }
    }

    private static List<String> exitCodes(String output) {
        return output.lines().filter(line -> line.matches("[a-z ]+ \\d+")).toList();
    }

    /** debconf keeps a backup of its database at each of its runs, which the answered calls do not start. */
    private static Map<String, String> withoutBackups(Map<String, String> effect) {
        Map<String, String> kept = new TreeMap<>(effect);
        kept.keySet().removeIf(path -> path.startsWith("/var/cache/debconf/") && path.endsWith("-old"));
        return kept;
    }
}
