package io.dormant.adapters.confine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfineRecordedCommandTest {

    @Test
    void callsAreParsedWithArgumentsHoldingSpacesAndNewlines() {
        byte[] record = ("systemctl\037restart\037ssh.service\036"
                + "start-stop-daemon\037--start\037--exec\037/bin/sh\037--\037-c\037echo a  b\nc\036"
                + "invoke-rc.d\036").getBytes(StandardCharsets.UTF_8);

        assertThat(RecordedCommand.parse(record)).containsExactly(
                new RecordedCommand("systemctl", List.of("restart", "ssh.service")),
                new RecordedCommand("start-stop-daemon", List.of("--start", "--exec", "/bin/sh", "--", "-c", "echo a  b\nc")),
                new RecordedCommand("invoke-rc.d", List.of()));
    }

    @Test
    void aCallCutShortByAKillIsDropped() {
        byte[] record = "service\037cron\037restart\036systemctl\037rest".getBytes(StandardCharsets.UTF_8);

        assertThat(RecordedCommand.parse(record)).containsExactly(new RecordedCommand("service", List.of("cron", "restart")));
    }

    @Test
    void anArgumentThatIsEmptyIsKept() {
        assertThat(RecordedCommand.parse("service\037\037start\036".getBytes(StandardCharsets.UTF_8)))
                .containsExactly(new RecordedCommand("service", List.of("", "start")));
    }

    @Test
    void theShellLineQuotesOnlyWhatNeedsIt() {
        RecordedCommand call = new RecordedCommand("start-stop-daemon",
                List.of("--start", "--exec", "/usr/sbin/foo", "--", "--name=it's", ""));

        assertThat(call.shellLine()).isEqualTo("start-stop-daemon --start --exec /usr/sbin/foo -- '--name=it'\\''s' ''");
    }
}
