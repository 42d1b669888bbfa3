package io.dormant.adapters.rootfs;

import java.io.IOException;

/** An image path that goes through more symlinks than the kernel would follow (40): a loop. */
public class SymlinkLoopException extends IOException {

    public SymlinkLoopException(String message) {
        super(message);
    }
}
