package io.dormant.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.adapters.policy.ActionTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberedPolicyTest {

    @TempDir
    Path dir;

    @Test
    void aLaterCommandGetsTheTablesAnswersWithoutStartingItsEngine() {
        Path file = dir.resolve("action-policy-test.tsv");
        ActionPolicy table = DmnActionPolicy.shipped();
        ActionTier direct = table.tierFor(ActionPolicy.UNKNOWN_COMMAND, "deb", false);

        RememberedPolicy first = new RememberedPolicy(file, () -> table);
        assertThat(first.tierFor(ActionPolicy.UNKNOWN_COMMAND, "deb", false)).isEqualTo(direct);
        assertThat(first.tierFor(ActionPolicy.SERVICE_RESTART, "deb", false))
                .isEqualTo(table.tierFor(ActionPolicy.SERVICE_RESTART, "deb", false));

        RememberedPolicy later = new RememberedPolicy(file, () -> {
            throw new AssertionError("the engine was started for a question answered before");
        });
        assertThat(later.tierFor(ActionPolicy.UNKNOWN_COMMAND, "deb", false)).isEqualTo(direct);
    }

    @Test
    void aTornLastLineIsAskedAgain() throws IOException {
        Path file = dir.resolve("action-policy-test.tsv");
        Files.writeString(file, "unknown-command\tdeb\tfalse\tconf");
        ActionPolicy table = DmnActionPolicy.shipped();

        RememberedPolicy policy = new RememberedPolicy(file, () -> table);

        assertThat(policy.tierFor(ActionPolicy.UNKNOWN_COMMAND, "deb", false))
                .isEqualTo(table.tierFor(ActionPolicy.UNKNOWN_COMMAND, "deb", false));
    }

    @Test
    void theShippedTableIsRememberedUnderItsOwnHash() {
        // A kind the table does not list as an input value: its answers are not shipped.
        RememberedPolicy.shipped(dir).tierFor("a-kind-of-tomorrow", "deb", false);

        assertThat(dir.toFile().list()).singleElement().asString().matches("action-policy-[0-9a-f]{16}\\.tsv");
    }
}
