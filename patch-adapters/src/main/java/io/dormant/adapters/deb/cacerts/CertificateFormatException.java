package io.dormant.adapters.deb.cacerts;

/** A certificate file that this emulation does not read exactly as OpenSSL would; the real tool takes it. */
final class CertificateFormatException extends Exception {

    CertificateFormatException(String message) {
        super(message);
    }
}
