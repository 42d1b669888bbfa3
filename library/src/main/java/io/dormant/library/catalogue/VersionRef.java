package io.dormant.library.catalogue;

/**
 * What users type to name a version: {@code NAME@N}, or {@code NAME} alone for the newest one.
 * Parsing is strict so that a typo is an error here and not a lookup of a wrong version.
 */
public record VersionRef(String image, Integer number) {

    public static VersionRef parse(String text) {
        int at = text.lastIndexOf('@');
        if (at < 0) {
            return new VersionRef(ImageNames.checked(text), null);
        }
        String image = ImageNames.checked(text.substring(0, at));
        String number = text.substring(at + 1);
        try {
            int n = Integer.parseInt(number);
            if (n > 0) {
                return new VersionRef(image, n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CatalogueException("'" + text + "' names no version: after @ comes a version number (1, 2, ...)");
    }

    public boolean newest() {
        return number == null;
    }

    @Override
    public String toString() {
        return number == null ? image : image + "@" + number;
    }
}
