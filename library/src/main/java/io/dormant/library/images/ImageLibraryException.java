package io.dormant.library.images;

/** An import, export or diff that failed; the message names the file or entry and the problem. */
public class ImageLibraryException extends RuntimeException {

    public ImageLibraryException(String message, Throwable cause) {
        super(message, cause);
    }

    public ImageLibraryException(String message) {
        super(message);
    }
}
