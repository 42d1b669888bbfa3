package io.dormant.library.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GuestfishTest {

    @Test
    void plainNamesStayReadable() {
        assertThat(Guestfish.quoted("/usr/lib/x86_64-linux-gnu/libc.so.6".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("\"/usr/lib/x86_64-linux-gnu/libc.so.6\"");
    }

    @Test
    void nothingInANameCanEndTheStringOrStartACommand() {
        byte[] hostile = "/etc/a\" ; rm-rf / ;\n\\ é".getBytes(StandardCharsets.UTF_8);
        assertThat(Guestfish.quoted(hostile))
                .isEqualTo("\"/etc/a\\x22\\x20\\x3b\\x20rm-rf\\x20/\\x20\\x3b\\x0a\\x5c\\x20\\xc3\\xa9\"");
        assertThat(Guestfish.quoted(new byte[] {'/', (byte) 0xff})).isEqualTo("\"/\\xff\"");
    }
}
