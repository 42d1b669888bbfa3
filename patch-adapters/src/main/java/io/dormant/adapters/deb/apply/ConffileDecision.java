package io.dormant.adapters.deb.apply;

import io.dormant.adapters.deb.DpkgConffileOptions;

/**
 * What dpkg does with one conffile when it configures the package (src/main/configure.c,
 * deferred_configure_conffile and promptconfaction), from three md5 sums: the one dpkg recorded for
 * the version installed before, the one of the file on disk (its links followed), and the one of
 * the version the package ships.
 * <p>
 * Where dpkg would ask the admin on a terminal (the admin changed the file and so did the package,
 * or the admin made a file where the package adds a conffile), the image's force options answer as
 * they answer dpkg. Without any, dpkg on the running machine would stop at its prompt; an offline
 * apply has nobody to ask and keeps the admin's file, as {@code --force-confold} does.
 */
final class ConffileDecision {

    enum Outcome {
        /** The file stays as it is; the shipped version is dropped. */
        KEEP,
        /** The shipped version takes its place. */
        INSTALL,
        /** The file stays; the shipped version is written beside it as {@code .dpkg-dist}. */
        KEEP_WITH_DIST,
        /** The shipped version takes its place; the admin's is kept as {@code .dpkg-old} (if there was one). */
        INSTALL_WITH_OLD
    }

    /** @param deleted whether the admin deleted the file (no {@code .dpkg-old} is made of nothing) */
    record Choice(Outcome outcome, boolean deleted) {
    }

    private ConffileDecision() {
    }

    /**
     * @param recorded the recorded md5 sum, {@link ConffileUpgrade#NEW_CONFFILE} (or null) when there is none
     * @param current  the md5 sum of the file on disk, null when there is no file
     * @param shipped  the md5 sum of the version the package ships
     */
    static Choice decide(DpkgConffileOptions options, String recorded, String current, String shipped) {
        if (shipped.equals(current)) {
            return new Choice(Outcome.KEEP, false);
        }
        if (current == null && options.confmiss()) {
            return new Choice(Outcome.INSTALL, false);
        }
        if (recorded == null || recorded.equals(ConffileUpgrade.NEW_CONFFILE)) {
            // A file the admin (or a script) made where the package now adds a conffile.
            return current == null ? new Choice(Outcome.INSTALL, false) : asked(options, false);
        }
        boolean userEdited = !recorded.equals(current);
        boolean distEdited = !recorded.equals(shipped);
        boolean deleted = current == null;
        if (userEdited && (distEdited || options.confask())) {
            return asked(options, deleted);
        }
        return new Choice(userEdited || !distEdited ? Outcome.KEEP : Outcome.INSTALL, deleted);
    }

    /**
     * dpkg's show_prompt for a question whose default is to keep the file (every question it asks
     * about an existing conffile): confdef takes the default, else confnew installs and confold keeps.
     */
    private static Choice asked(DpkgConffileOptions options, boolean deleted) {
        boolean install = !options.confdef() && options.confnew();
        return new Choice(install ? Outcome.INSTALL_WITH_OLD : Outcome.KEEP_WITH_DIST, deleted);
    }
}
