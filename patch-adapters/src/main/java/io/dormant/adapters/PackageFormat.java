package io.dormant.adapters;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The package formats Dormant has adapters for, each recognised by the first bytes of its file, so
 * a patch is routed by what it is rather than by what its name ends with.
 */
public enum PackageFormat {

    /**
     * An ar archive whose first member is {@code debian-binary}, as dpkg-deb writes it and as dpkg
     * demands it; the ar magic alone would also match static libraries.
     */
    DEB("!<arch>\ndebian-binary".getBytes(StandardCharsets.US_ASCII)),

    /** The RPM lead's magic; every RPM since version 3 starts with it. */
    RPM(bytes(0xED, 0xAB, 0xEE, 0xDB)),

    /**
     * The OLE compound-file signature. Word documents, .msp and .mst files share it, so this says
     * "maybe MSI"; the MSI reader confirms it by the root storage's class id.
     */
    MSI(bytes(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1));

    /** How many leading bytes of a file {@link #detect} needs to tell every format apart. */
    public static final int SIGNATURE_LENGTH = 21;

    private final byte[] magic;

    PackageFormat(byte[] magic) {
        this.magic = magic;
    }

    /** Whether {@code signature}, the first bytes of a file, starts with this format's magic. */
    public boolean matches(byte[] signature) {
        return signature.length >= magic.length
                && Arrays.equals(signature, 0, magic.length, magic, 0, magic.length);
    }

    /**
     * The format whose magic {@code signature} starts with; give it at least
     * {@link #SIGNATURE_LENGTH} bytes, or the whole file if it is shorter.
     *
     * @throws IllegalArgumentException naming the bytes found, when no format matches
     */
    public static PackageFormat detect(byte[] signature) {
        for (PackageFormat format : values()) {
            if (format.matches(signature)) {
                return format;
            }
        }
        throw new IllegalArgumentException(describeUnknown(signature));
    }

    private static String describeUnknown(byte[] signature) {
        if (signature.length == 0) {
            return "not a deb, rpm or msi package: the file is empty";
        }
        byte[] head = Arrays.copyOf(signature, Math.min(signature.length, SIGNATURE_LENGTH));
        return "not a deb, rpm or msi package: it starts with " + HexFormat.ofDelimiter(" ").formatHex(head)
                + " (" + signature.length + " bytes read); a deb starts with \"!<arch>\\ndebian-binary\","
                + " an rpm with ed ab ee db, an msi with d0 cf 11 e0 a1 b1 1a e1";
    }

    private static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }
}
