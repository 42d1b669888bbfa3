package io.dormant.library.catalogue;

import java.util.regex.Pattern;

/** Image names are safe in paths, URLs and shells: lower-case letters, digits, '.', '_' and '-'. */
public final class ImageNames {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

    private ImageNames() {
    }

    public static String checked(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new CatalogueException("'" + name + "' is not a valid image name: use 1 to 128 lower-case letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit (e.g. web-debian12)");
        }
        return name;
    }
}
