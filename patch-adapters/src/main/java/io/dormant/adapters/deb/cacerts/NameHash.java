package io.dormant.adapters.deb.cacerts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * OpenSSL's X509_NAME_hash, the name of a {@code XXXXXXXX.N} link: SHA-1 over the name's canonical
 * encoding, first four bytes read little endian. The canonical encoding (x_name.c) is each RDN as
 * a DER SET OF its attributes, concatenated without the outer SEQUENCE header, where every string
 * of a "canonicalisable" type becomes a UTF8String with ASCII letters lowered, leading and
 * trailing white space dropped and inner runs of white space collapsed to one space; other types
 * are copied as they are.
 */
final class NameHash {

    private static final int UTF8 = 0x0c;
    private static final int PRINTABLE = 0x13;
    private static final int T61 = 0x14;
    private static final int IA5 = 0x16;
    private static final int VISIBLE = 0x1a;
    private static final int UNIVERSAL = 0x1c;
    private static final int BMP = 0x1e;
    /** Types OpenSSL copies without canonicalising (ASN1_MASK_CANON leaves them out). */
    private static final List<Integer> COPIED = List.of(0x12, 0x15, 0x19, 0x1b, 0x03, 0x04);

    private NameHash() {
    }

    /** The hash of a DER Name (SEQUENCE OF RDN), as {@code openssl x509 -hash} prints it. */
    static String of(Der.Tlv name) throws CertificateFormatException {
        Der.expect(name, Der.SEQUENCE, "a Name");
        ByteArrayOutputStream canonical = new ByteArrayOutputStream();
        for (Der.Tlv rdn : name.children()) {
            Der.expect(rdn, Der.SET, "a relative distinguished name");
            List<byte[]> attributes = new ArrayList<>();
            for (Der.Tlv attribute : rdn.children()) {
                attributes.add(canonicalAttribute(attribute));
            }
            if (attributes.isEmpty()) {
                throw new CertificateFormatException("an empty relative distinguished name");
            }
            // DER orders a SET OF by the encodings of its members, and so does OpenSSL's encoder.
            attributes.sort(NameHash::derOrder);
            ByteArrayOutputStream set = new ByteArrayOutputStream();
            attributes.forEach(set::writeBytes);
            canonical.writeBytes(Der.encode(Der.SET, set.toByteArray()));
        }
        byte[] sha1 = sha1(canonical.toByteArray());
        long hash = (sha1[0] & 0xffL) | (sha1[1] & 0xffL) << 8 | (sha1[2] & 0xffL) << 16 | (sha1[3] & 0xffL) << 24;
        return String.format("%08x", hash);
    }

    private static byte[] canonicalAttribute(Der.Tlv attribute) throws CertificateFormatException {
        List<Der.Tlv> parts = Der.expect(attribute, Der.SEQUENCE, "an attribute").children();
        if (parts.size() != 2) {
            throw new CertificateFormatException("an attribute of " + parts.size() + " parts");
        }
        Der.Tlv type = Der.expect(parts.get(0), Der.OID, "an attribute type");
        Der.Tlv value = parts.get(1);
        byte[] encodedValue;
        if (COPIED.contains(value.tag())) {
            encodedValue = Der.encode(value.tag(), value.content());
        } else {
            encodedValue = Der.encode(UTF8, canonical(utf8(value)));
        }
        ByteArrayOutputStream sequence = new ByteArrayOutputStream();
        sequence.writeBytes(Der.encode(Der.OID, type.content()));
        sequence.writeBytes(encodedValue);
        return Der.encode(Der.SEQUENCE, sequence.toByteArray());
    }

    /** ASN1_STRING_to_UTF8: one-byte types are Latin-1 (T61String too), BMP is UCS-2, Universal UCS-4. */
    private static byte[] utf8(Der.Tlv value) throws CertificateFormatException {
        byte[] content = value.content();
        return switch (value.tag()) {
            case UTF8 -> {
                if (!StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(content), java.nio.CharBuffer
                        .allocate(content.length), true).isUnderflow()) {
                    throw new CertificateFormatException("a UTF8String that is not UTF-8");
                }
                yield content;
            }
            case PRINTABLE, T61, IA5, VISIBLE -> new String(content, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
            case BMP -> codePoints(content, 2);
            case UNIVERSAL -> codePoints(content, 4);
            default -> throw new CertificateFormatException("a name attribute of DER type " + Integer.toHexString(value.tag()));
        };
    }

    private static byte[] codePoints(byte[] content, int width) throws CertificateFormatException {
        if (content.length % width != 0) {
            throw new CertificateFormatException("a wide string of odd length");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < content.length; i += width) {
            int codePoint = 0;
            for (int j = 0; j < width; j++) {
                codePoint = (codePoint << 8) | (content[i + j] & 0xff);
            }
            if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
                throw new CertificateFormatException("a wide string with code point " + Integer.toHexString(codePoint));
            }
            text.appendCodePoint(codePoint);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** asn1_string_canon on UTF-8 bytes: only ASCII is lowered or taken for white space. */
    private static byte[] canonical(byte[] utf8) {
        int from = 0;
        int to = utf8.length;
        while (from < to && isSpace(utf8[from])) {
            from++;
        }
        while (to > from && isSpace(utf8[to - 1])) {
            to--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        int i = from;
        while (i < to) {
            byte b = utf8[i];
            if (isSpace(b)) {
                out.write(' ');
                while (i < to && isSpace(utf8[i])) {
                    i++;
                }
            } else {
                out.write(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
                i++;
            }
        }
        return out.toByteArray();
    }

    /** ossl_isspace: space, tab, newline, vertical tab, form feed, carriage return. */
    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static int derOrder(byte[] left, byte[] right) {
        int common = Math.min(left.length, right.length);
        int order = Arrays.compareUnsigned(left, 0, common, right, 0, common);
        return order != 0 ? order : Integer.compare(left.length, right.length);
    }

    static byte[] sha1(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1 in this Java runtime", e);
        }
    }
}
