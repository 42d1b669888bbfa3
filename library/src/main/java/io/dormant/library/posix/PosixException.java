package io.dormant.library.posix;

import java.io.IOException;

/** A failed libc call, with the call, the path it was made on and the errno text. */
public final class PosixException extends IOException {
    private final int errno;

    PosixException(String call, String path, int errno, String errnoText) {
        super(call + " failed on " + path + ": " + errnoText + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
