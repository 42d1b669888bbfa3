package io.dormant.engine.cli;

import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./dormant}: the entry point of the jar. Library commands run here without Spring; only
 * {@code serve} starts the engine, so that a command with nothing to do answers quickly.
 */
@Command(name = "dormant", mixinStandardHelpOptions = true, versionProvider = DormantCli.Version.class,
        description = "Patches virtual machine images offline and keeps every version.")
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
        String named = firstCommandName(args);
        // A resident process is started for the `patch apply` that waits for it: it logs in while
        // it sets up, as that command's own JVM would have.
        boolean startsResident = args.length == 2 && args[0].equals(ResidentDaemon.COMMAND);
        if (startsResident || named != null && LIBRARY_COMMANDS.contains(named) && !asksForHelp(args)) {
            LibraryAccess.connectAhead();
        }
        if (!Arrays.asList(args).contains("serve")) {
            QuietLogging.apply(Arrays.asList(args).contains("--debug"));
        }
        if (startsResident) {
            System.exit(ResidentDaemon.serve(args[1]));
        }
        int exitCode = commandLine(args).execute(args);
        if (exitCode != ServeCommand.KEEP_RUNNING) {
            System.exit(exitCode);
        }
    }

    /**
     * The command line for these arguments. Picocli builds the model of every command it is given
     * by reflection, about 0.2 s of a cold process for all of them; a command names its own
     * subcommand first, so only that one is built. Help, usage and mistakes get all of them.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine commandLine = new CommandLine(new DormantCli());
        String named = firstCommandName(args);
        boolean known = named != null && SUBCOMMANDS.containsKey(named);
        boolean versionOnly = named == null && Arrays.stream(args).anyMatch(arg -> arg.equals("-V") || arg.equals("--version"));
        SUBCOMMANDS.forEach((name, type) -> {
            if (!versionOnly && (!known || name.equals(named))) {
                commandLine.addSubcommand(name, type);
            }
        });
        commandLine.setExecutionExceptionHandler(new ErrorReporter());
        return commandLine;
    }

    /** In the order {@code ./dormant --help} lists them. */
    private static final java.util.Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static java.util.Map<String, Class<?>> subcommands() {
        java.util.Map<String, Class<?>> all = new java.util.LinkedHashMap<>();
        all.put("serve", ServeCommand.class);
        all.put("image", ImageCommand.class);
        all.put("patch", PatchCommand.class);
        all.put("run", RunCommand.class);
        all.put("campaign", CampaignCommand.class);
        all.put("task", TaskCommand.class);
        all.put("store", StoreCommand.class);
        all.put("cache", CacheCommand.class);
        all.put("audit", AuditCommand.class);
        all.put("db", DatabaseCommand.class);
        all.put("resident", ResidentCommand.class);
        all.put("help", CommandLine.HelpCommand.class);
        return java.util.Collections.unmodifiableMap(all);
    }

    /** The commands that open the library, each of their subcommands does. */
    private static final java.util.Set<String> LIBRARY_COMMANDS = java.util.Set.of("image", "patch", "audit", "store");

    private static boolean asksForHelp(String[] args) {
        return Arrays.stream(args).anyMatch(arg -> arg.equals("-h") || arg.equals("--help") || arg.equals("-V")
                || arg.equals("--version") || arg.equals("help"));
    }

    /** The first argument that is not an option of the top-level command, or null. */
    private static String firstCommandName(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return null;
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
