package io.dormant.adapters.deb.debconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DebconfFileTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aFileDebconfWroteRoundTripsByteForByte() throws Exception {
        String file = """
                Name: a/first
                Template: a/first
                Value: x, y
                Owners: a, b
                Flags: seen
                Variables:
                 list = one, two
                 none =\s

                Name: b/second
                Extended_description: line\\nnext
                Owners: b/second

                """;
        assertThat(new String(DebconfFile.write(DebconfFile.read(bytes(file))), StandardCharsets.ISO_8859_1)).isEqualTo(file);
    }

    @Test
    void recordsAndFieldsAreWrittenSortedByByteWithFlagsOnlyWhenTrue() throws Exception {
        Map<String, DebconfItem> items = DebconfFile.read(bytes("Name: z\nvalue: 1\nTemplate: z\n\nName: B\nOwners: q\n\n"));
        items.get("z").setFlag("seen", "false");
        items.get("z").setVariable("v", "w");
        assertThat(new String(DebconfFile.write(items), StandardCharsets.ISO_8859_1)).isEqualTo(
                "Name: B\nOwners: q\n\nName: z\nTemplate: z\nValue: 1\nVariables:\n v = w\n\n");
    }

    @Test
    void aLineWithoutAColonIsRefused() {
        assertThatThrownBy(() -> DebconfFile.read(bytes("Name: a\nbogus\n\n"))).isInstanceOf(DebconfException.class)
                .hasMessageContaining("bogus");
    }

    @Test
    void templatesFoldExtendedDescriptionsAsDebconfDoes() throws Exception {
        List<DebconfTemplateFile.Template> templates = DebconfTemplateFile.read(bytes("""
                Template: p/q
                Type: select
                Choices: yes, no
                Description-de.UTF-8: Frage?\s\s
                 first line
                 joined
                 .
                  verbatim
                 after

                Template: p/r
                Type: note
                Description: r
                """));
        assertThat(templates).hasSize(2);
        assertThat(templates.get(0).name()).isEqualTo("p/q");
        assertThat(templates.get(0).fields()).containsExactly(Map.entry("type", "select"), Map.entry("choices", "yes, no"),
                Map.entry("description-de.utf-8", "Frage?"),
                Map.entry("extended_description-de.utf-8", "first line joined\\n\\n verbatim\\nafter"));
    }

    @Test
    void aDuplicateTemplateFieldIsRefused() {
        assertThatThrownBy(() -> DebconfTemplateFile.read(bytes("Template: a\nType: note\nType: text\n")))
                .isInstanceOf(DebconfException.class);
    }
}
