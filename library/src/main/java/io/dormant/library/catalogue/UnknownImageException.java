package io.dormant.library.catalogue;

/** No image of that name, or one without any version yet. */
public class UnknownImageException extends CatalogueException {

    public UnknownImageException(String image) {
        super("there is no image '" + image + "'; 'dormant image list' shows the images");
    }
}
