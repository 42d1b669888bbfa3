package io.dormant.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormant.adapters.policy.ActionPolicy;
import io.dormant.library.store.ObjectId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippedAnswersTest {

    @TempDir
    Path dir;

    @Test
    void theShippedAnswersAreTheTablesOwn() throws IOException {
        String expected = answersOfTheTable();

        String shipped;
        try (InputStream in = ShippedAnswers.class.getResourceAsStream(ShippedAnswers.RESOURCE)) {
            assertThat(in).as("the jar ships " + ShippedAnswers.RESOURCE).isNotNull();
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(shipped).as("workflows/src/main/resources" + ShippedAnswers.RESOURCE
                + " must hold the shipped table's answers; replace it with the expected text").isEqualTo(expected);
    }

    @Test
    void noQuestionTheTableAllowsStartsItsEngine() {
        RememberedPolicy policy = RememberedPolicy.shipped(dir);
        for (String[] question : questions()) {
            policy.tierFor(question[0], question[1], Boolean.parseBoolean(question[2]));
        }

        assertThat(dir.toFile().list()).as("answers the engine had to give, remembered").isEmpty();
    }

    @Test
    void answersMadeFromAnotherTableAreIgnored() {
        assertThat(ShippedAnswers.of(ObjectId.hash("<definitions/>".getBytes(StandardCharsets.UTF_8)).hex())).isEmpty();
        assertThat(ShippedAnswers.of(ObjectId.hash(DmnActionPolicy.shippedTable()).hex())).hasSize(questions().size());
    }

    private static String answersOfTheTable() {
        ActionPolicy table = DmnActionPolicy.shipped();
        StringBuilder text = new StringBuilder(ShippedAnswers.HASH_LINE)
                .append(ObjectId.hash(DmnActionPolicy.shippedTable()).hex()).append('\n')
                .append("# kind, format, sandbox available, tier: for every kind and format of its input values\n");
        for (String[] question : questions()) {
            text.append(String.join("\t", question)).append('\t')
                    .append(table.tierFor(question[0], question[1], Boolean.parseBoolean(question[2])).word()).append('\n');
        }
        return text.toString();
    }

    /** Every kind and format the table lists as its input values, with and without a sandbox. */
    private static List<String[]> questions() {
        String dmn = new String(DmnActionPolicy.shippedTable(), StandardCharsets.UTF_8);
        List<String[]> questions = new ArrayList<>();
        for (String kind : inputValues(dmn, "InputValues_ActionKind")) {
            for (String format : inputValues(dmn, "InputValues_ScriptFormat")) {
                for (String sandbox : List.of("false", "true")) {
                    questions.add(new String[] {kind, format, sandbox});
                }
            }
        }
        return questions;
    }

    private static List<String> inputValues(String dmn, String id) {
        Matcher values = Pattern.compile("id=\"" + id + "\">\\s*<text>([^<]*)</text>").matcher(dmn);
        assertThat(values.find()).as(id + " in the shipped table").isTrue();
        List<String> words = new ArrayList<>();
        Matcher word = Pattern.compile("\"([^\"]+)\"").matcher(values.group(1));
        while (word.find()) {
            words.add(word.group(1));
        }
        return words;
    }
}
