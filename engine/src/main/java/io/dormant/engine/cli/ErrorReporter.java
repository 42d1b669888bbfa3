package io.dormant.engine.cli;

import picocli.CommandLine;

/**
 * Prints a failed command as one line that says what failed and what to do; the stack trace only
 * with {@code --debug}. Admins read the line, operators re-run with the flag.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine,
                                        CommandLine.ParseResult parseResult) {
        if (DormantCli.debugRequested(parseResult)) {
            exception.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().println("error: " + message(exception));
        return FAILED;
    }

    static String message(Throwable exception) {
        Throwable shown = exception;
        // Spring wraps the interesting failure in layers of bean-creation exceptions; the innermost
        // one that was written for people is the one to show.
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.nio.file.NoSuchFileException missing) {
                // Its own message is the bare path.
                return "no such file or directory: " + missing.getFile() + "; check the path";
            }
            if (cause instanceof io.dormant.library.db.DatabaseException || cause instanceof UserError
                    || cause instanceof io.dormant.library.catalogue.CatalogueException
                    || cause instanceof io.dormant.library.images.ImageLibraryException
                    || cause instanceof io.dormant.adapters.patching.PatchRefusedException
                    || cause instanceof io.dormant.adapters.deb.apply.ScriptFailedException
                    || cause instanceof io.dormant.adapters.deb.DebFormatException) {
                return cause.getMessage();
            }
            shown = cause;
        }
        String text = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        return text.lines().findFirst().orElse(text);
    }
}
