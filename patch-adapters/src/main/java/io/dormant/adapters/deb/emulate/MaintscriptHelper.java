package io.dormant.adapters.deb.emulate;

import io.dormant.adapters.rootfs.RootedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code dpkg-maintscript-helper} as debhelper's {@code dh_installdeb} snippets call it, in the calls
 * where dpkg's helper does nothing; where it would act, the script is left to the confine tier.
 */
final class MaintscriptHelper {

    private final RootedFiles image;

    MaintscriptHelper(RootedFiles image) {
        this.image = image;
    }

    /**
     * {@code dpkg-maintscript-helper CMD ARGS… -- "$@"}, with dpkg's own conditions
     * (dpkg-maintscript-helper(1), and the script itself): it acts in preinst install/upgrade and
     * postinst configure from a version up to LASTVERSION, in postrm purge and abort-*, and for the
     * symlink/directory switches when a {@code .dpkg-backup} is left. Everywhere else it does nothing.
     */
    Optional<EmulatedAction> action(String line, List<String> words, ScriptCall call) throws IOException {
        int dashes = words.indexOf("--");
        if (dashes < 2 || dashes != words.size() - 2 || !words.get(words.size() - 1).equals("$@")
                || !ShellLines.isLiteral(line.substring(0, line.lastIndexOf(" -- ")).replace("\\", ""))) {
            return Optional.empty();
        }
        return nothingToDo(words.get(1), words.subList(2, dashes), call)
                .map(described -> EmulatedAction.noEffect(ActionCatalogue.MAINTSCRIPT_HELPER, described));
    }

    /**
     * {@code dpkg-maintscript-helper HELPER PARAMS… -- ARGS…} as called by {@code call} (whose
     * arguments are the ARGS): a description when the tool would do nothing, else empty.
     */
    Optional<String> nothingToDo(String helper, List<String> params, ScriptCall call) throws IOException {
        String script = call.scriptName();
        String action = call.arg(1);
        boolean installOrUpgrade = action.equals("install") || action.equals("upgrade");
        boolean aborting = action.equals("abort-install") || action.equals("abort-upgrade");
        int versionAt = switch (helper) {
            case "rm_conffile" -> 1;
            case "mv_conffile", "symlink_to_dir", "dir_to_symlink" -> 2;
            default -> -1;
        };
        if (versionAt < 0 || params.size() < versionAt || params.get(0).isEmpty() || !params.get(0).startsWith("/")) {
            return Optional.empty();
        }
        String lastVersion = params.size() > versionAt ? params.get(versionAt) : "";
        Boolean upTo = call.arg(2).isEmpty() ? Boolean.FALSE : Versions.compare(call.arg(2), "le-nl", lastVersion);
        if (upTo == null) {
            return Optional.empty();
        }
        String path = params.get(0);
        boolean acts = switch (script) {
            case "preinst" -> installOrUpgrade && upTo && switch (helper) {
                case "symlink_to_dir" -> isSymlink(path);
                case "dir_to_symlink" -> !isSymlink(path) && isDirectory(path);
                default -> true;
            };
            case "postinst" -> action.equals("configure") && switch (helper) {
                case "symlink_to_dir" -> isSymlink(path + ".dpkg-backup");
                case "dir_to_symlink" -> isDirectory(path + ".dpkg-backup");
                default -> upTo;
            };
            case "postrm" -> aborting || (action.equals("purge") && !helper.equals("mv_conffile"));
            default -> false;
        };
        if (acts) {
            return Optional.empty();
        }
        return Optional.of("dpkg-maintscript-helper " + helper + " " + String.join(" ", params)
                + ": nothing to do in " + call.describe().strip());
    }

    private boolean isSymlink(String imagePath) throws IOException {
        Path host = image.resolve(imagePath, false);
        return Files.isSymbolicLink(host);
    }

    private boolean isDirectory(String imagePath) throws IOException {
        Path host = image.resolve(imagePath, false);
        return Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS);
    }
}
