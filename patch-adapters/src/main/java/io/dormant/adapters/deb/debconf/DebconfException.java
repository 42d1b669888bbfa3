package io.dormant.adapters.deb.debconf;

/** A debconf database or templates file, or a setup, that Dormant does not reproduce debconf's handling of. */
public final class DebconfException extends Exception {

    public DebconfException(String message) {
        super(message);
    }
}
