package io.dormant.adapters.deb.cacerts;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes held as ISO-8859-1 characters, the form the configure emulation works in (debconf's
 * Perl and the scripts' sort compare bytes), and their UTF-8 text where a file name or grep needs it.
 */
final class Latin1 {

    private Latin1() {
    }

    static String of(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** From a Java file name to its bytes. */
    static String ofName(String name) {
        return of(name.getBytes(StandardCharsets.UTF_8));
    }

    /** The UTF-8 text of these bytes; refused when they are not UTF-8, which grep and sed treat their own way. */
    static String text(String latin1) throws CertificateFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes(latin1))).toString();
        } catch (CharacterCodingException e) {
            throw new CertificateFormatException("not UTF-8: " + latin1);
        }
    }

    /** For lines already checked to be UTF-8. */
    static String textOrRaw(String latin1) {
        try {
            return text(latin1);
        } catch (CertificateFormatException e) {
            return latin1;
        }
    }
}
