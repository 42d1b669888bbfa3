package io.dormant.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./dormant}: the entry point of the jar. Library commands run here without Spring; only
 * {@code serve} starts the engine, so that a command with nothing to do answers quickly.
 */
@Command(name = "dormant", mixinStandardHelpOptions = true, versionProvider = DormantCli.Version.class,
        description = "Patches virtual machine images offline and keeps every version.",
        subcommands = {ServeCommand.class, ImageCommand.class, PatchCommand.class, RunCommand.class, CampaignCommand.class,
                TaskCommand.class, StoreCommand.class, CacheCommand.class, AuditCommand.class, DatabaseCommand.class, ResidentCommand.class,
                CommandLine.HelpCommand.class})
public final class DormantCli {

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces and debug logging.")
    boolean debug;

    public static void main(String[] args) throws java.io.IOException {
        // Before logging is set up: a command handed over loads no more than it needs to hand it over.
        java.util.OptionalInt resident = ResidentClient.run(args);
        if (resident.isPresent()) {
            System.exit(resident.getAsInt());
        }
        if (!java.util.Arrays.asList(args).contains("serve")) {
            QuietLogging.apply(java.util.Arrays.asList(args).contains("--debug"));
        }
        if (args.length == 2 && args[0].equals(ResidentDaemon.COMMAND)) {
            System.exit(ResidentDaemon.serve(args[1]));
        }
        int exitCode = commandLine().execute(args);
        if (exitCode != ServeCommand.KEEP_RUNNING) {
            System.exit(exitCode);
        }
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new DormantCli());
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        return commandLine;
    }

    static boolean debugRequested(CommandLine.ParseResult parseResult) {
        return parseResult.hasMatchedOption("--debug")
                || parseResult.subcommands().stream().anyMatch(DormantCli::debugRequested);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = DormantCli.class.getPackage().getImplementationVersion();
            return new String[] {"dormant " + (version == null ? "development build" : version)};
        }
    }
}
