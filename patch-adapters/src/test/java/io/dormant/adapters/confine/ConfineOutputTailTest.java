package io.dormant.adapters.confine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConfineOutputTailTest {

    @Test
    void shortOutputIsKeptWhole() throws Exception {
        OutputTail tail = new OutputTail(16);
        tail.drain(new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(tail.text()).isEqualTo("hello\n");
        assertThat(tail.truncated()).isFalse();
    }

    @Test
    void longOutputKeepsItsEnd() throws Exception {
        OutputTail tail = new OutputTail(8);
        byte[] chunk = "0123456789abcdefghij".getBytes(StandardCharsets.UTF_8);
        tail.append(chunk, 5);
        tail.append("56789abcdefghij".getBytes(StandardCharsets.UTF_8), 15);

        assertThat(tail.text()).isEqualTo("cdefghij");
        assertThat(tail.truncated()).isTrue();
    }
}
