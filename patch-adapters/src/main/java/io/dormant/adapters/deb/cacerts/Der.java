package io.dormant.adapters.deb.cacerts;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few DER rules that name hashing needs: one tag-length-value at a time, single-byte tags,
 * definite lengths. Anything else is refused, and the caller leaves the work to the real tool.
 */
final class Der {

    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;
    static final int OID = 0x06;

    /** One element: its tag, its content, and its whole encoding. */
    record Tlv(int tag, byte[] content, byte[] encoding) {

        List<Tlv> children() throws CertificateFormatException {
            List<Tlv> children = new ArrayList<>();
            int at = 0;
            while (at < content.length) {
                Tlv child = read(content, at);
                children.add(child);
                at += child.encoding.length;
            }
            return children;
        }
    }

    private Der() {
    }

    static Tlv read(byte[] bytes, int offset) throws CertificateFormatException {
        if (offset + 2 > bytes.length) {
            throw new CertificateFormatException("DER truncated at offset " + offset);
        }
        int tag = bytes[offset] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new CertificateFormatException("a multi-byte DER tag at offset " + offset);
        }
        int first = bytes[offset + 1] & 0xff;
        int header = 2;
        long length = first;
        if (first == 0x80) {
            throw new CertificateFormatException("an indefinite DER length at offset " + offset);
        }
        if (first > 0x80) {
            int count = first & 0x7f;
            if (count > 4 || offset + 2 + count > bytes.length) {
                throw new CertificateFormatException("a DER length this reader refuses at offset " + offset);
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (bytes[offset + 2 + i] & 0xff);
            }
            header += count;
        }
        if (offset + header + length > bytes.length) {
            throw new CertificateFormatException("DER content runs past the end at offset " + offset);
        }
        int end = (int) (offset + header + length);
        return new Tlv(tag, Arrays.copyOfRange(bytes, offset + header, end), Arrays.copyOfRange(bytes, offset, end));
    }

    static Tlv expect(Tlv tlv, int tag, String what) throws CertificateFormatException {
        if (tlv.tag() != tag) {
            throw new CertificateFormatException(what + ": DER tag " + Integer.toHexString(tlv.tag()));
        }
        return tlv;
    }

    /** The minimal (DER) encoding of a tag and its content. */
    static byte[] encode(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int count = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | count);
            for (int i = count - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
