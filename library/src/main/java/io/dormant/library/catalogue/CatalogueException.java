package io.dormant.library.catalogue;

/** A catalogue request that cannot be served as asked (unknown image, bad name, version gone). */
public class CatalogueException extends RuntimeException {

    public CatalogueException(String message) {
        super(message);
    }

    public CatalogueException(String message, Throwable cause) {
        super(message, cause);
    }
}
