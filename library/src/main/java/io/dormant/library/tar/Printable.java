package io.dormant.library.tar;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Shows an entry name in a message: valid UTF-8 as text, control characters and bad bytes as \xNN. */
final class Printable {
    private Printable() {
    }

    static String of(byte[] name) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name)).toString();
        } catch (CharacterCodingException e) {
            text = null;
        }
        StringBuilder sb = new StringBuilder();
        if (text != null) {
            text.codePoints().forEach(c -> {
                if (c < 0x20 || c == 0x7f) {
                    sb.append(String.format("\\x%02x", c));
                } else {
                    sb.appendCodePoint(c);
                }
            });
            return sb.toString();
        }
        for (byte b : name) {
            int c = b & 0xff;
            if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
