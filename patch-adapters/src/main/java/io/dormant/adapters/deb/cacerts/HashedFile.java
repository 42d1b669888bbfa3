package io.dormant.adapters.deb.cacerts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What {@code openssl rehash} makes of one file: PEM_X509_INFO_read's grouping of its blocks
 * (a certificate or CRL after one of its own kind starts a new group), and for a file of exactly
 * one group its link type, hash (subject of a certificate, issuer of a CRL) and SHA-1 digest,
 * by which rehash skips duplicates. Blocks this reader cannot take as OpenSSL would (keys,
 * headers, bad base64, other labels) refuse the file, and the emulation with it.
 */
record HashedFile(boolean single, boolean crl, String hash, byte[] digest) {

    static final HashedFile NOT_ONE = new HashedFile(false, false, null, null);

    static HashedFile read(byte[] file) throws CertificateFormatException {
        List<String> lines = file.length == 0 ? List.of() : List.of(new String(file, StandardCharsets.ISO_8859_1).split("\n", -1));
        boolean groupHasCert = false;
        boolean groupHasCrl = false;
        byte[] certificate = null;
        byte[] crlDer = null;
        int i = 0;
        while (i < lines.size()) {
            String line = stripped(lines.get(i));
            i++;
            if (!line.startsWith("-----BEGIN ") || !line.endsWith("-----") || line.length() < 16) {
                continue;
            }
            String label = line.substring(11, line.length() - 5);
            StringBuilder base64 = new StringBuilder();
            boolean ended = false;
            while (i < lines.size()) {
                String body = stripped(lines.get(i));
                i++;
                if (body.equals("-----END " + label + "-----")) {
                    ended = true;
                    break;
                }
                if (body.contains(":") || body.startsWith("-----")) {
                    throw new CertificateFormatException("a PEM block with headers or a stray line: " + label);
                }
                base64.append(body);
            }
            if (!ended) {
                throw new CertificateFormatException("a PEM block without its END line: " + label);
            }
            byte[] der;
            try {
                der = Base64.getDecoder().decode(base64.toString());
            } catch (IllegalArgumentException e) {
                throw new CertificateFormatException("bad base64 in a PEM block: " + label);
            }
            switch (label) {
                case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE" -> {
                    if (groupHasCert) {
                        // A second group: rehash skips the file whatever follows (more groups, or an error).
                        return NOT_ONE;
                    }
                    groupHasCert = true;
                    certificate = Der.read(der, 0).encoding();
                }
                case "X509 CRL" -> {
                    if (groupHasCrl) {
                        return NOT_ONE;
                    }
                    groupHasCrl = true;
                    crlDer = Der.read(der, 0).encoding();
                }
                default -> throw new CertificateFormatException("a PEM block this emulation does not read: " + label);
            }
        }
        if (!groupHasCert && !groupHasCrl) {
            return NOT_ONE;
        }
        if (groupHasCert) {
            return new HashedFile(true, false, NameHash.of(subject(certificate)), NameHash.sha1(certificate));
        }
        return new HashedFile(true, true, NameHash.of(crlIssuer(crlDer)), NameHash.sha1(crlDer));
    }

    /** TBSCertificate: [0] version, serial, signature, issuer, validity, subject. */
    private static Der.Tlv subject(byte[] certificate) throws CertificateFormatException {
        List<Der.Tlv> tbs = tbs(certificate);
        int at = tbs.get(0).tag() == 0xa0 ? 1 : 0;
        if (tbs.size() < at + 5) {
            throw new CertificateFormatException("a certificate without a subject");
        }
        return tbs.get(at + 4);
    }

    /** TBSCertList: version (optional INTEGER), signature, issuer. */
    private static Der.Tlv crlIssuer(byte[] crl) throws CertificateFormatException {
        List<Der.Tlv> tbs = tbs(crl);
        int at = tbs.get(0).tag() == 0x02 ? 1 : 0;
        if (tbs.size() < at + 2) {
            throw new CertificateFormatException("a CRL without an issuer");
        }
        return tbs.get(at + 1);
    }

    private static List<Der.Tlv> tbs(byte[] signed) throws CertificateFormatException {
        List<Der.Tlv> outer = Der.expect(Der.read(signed, 0), Der.SEQUENCE, "a signed object").children();
        if (outer.size() != 3) {
            throw new CertificateFormatException("a signed object of " + outer.size() + " parts");
        }
        List<Der.Tlv> tbs = Der.expect(outer.get(0), Der.SEQUENCE, "a to-be-signed part").children();
        if (tbs.isEmpty()) {
            throw new CertificateFormatException("an empty to-be-signed part");
        }
        return tbs;
    }

    private static String stripped(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        return line.substring(0, end);
    }
}
