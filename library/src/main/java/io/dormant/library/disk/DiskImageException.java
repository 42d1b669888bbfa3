package io.dormant.library.disk;

/** A disk image that cannot be read or written; the message names the file and what to do. */
public class DiskImageException extends RuntimeException {

    public DiskImageException(String message) {
        super(message);
    }

    public DiskImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
