// Cli.java -- starts a script's picocli command with Sentinel's error handling, exit codes and --print-config.
//DEPS info.picocli:picocli:4.7.7
package sentinel;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The bootstrap every script's {@code main} calls: one-line errors, named exit codes, {@code --print-config}. */
public final class Cli {
    private Cli() {}

    /** Runs {@code command} with {@code args} and returns the exit status for {@code System.exit}. */
    public static int run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : ExitCodes.HELP) {
            int colon = line.indexOf(':');
            codes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        cl.setExecutionStrategy(pr -> {
            ConfigOptions co = mixin(pr.commandSpec(), ConfigOptions.class);
            if (co != null && co.printConfig()) {
                PrintWriter out = pr.commandSpec().commandLine().getOut();
                co.load().describe().forEach(out::println);
                out.flush();
                return ExitCodes.OK;
            }
            return new CommandLine.RunLast().execute(pr);
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            PrintWriter err = line.getErr();
            OutputOptions oo = mixin(line.getCommandSpec(), OutputOptions.class);
            if (oo != null && oo.verbose()) ex.printStackTrace(err);
            String name = line.getCommandName();
            // `detect | head`: the reader has all it wants; say nothing, as tools killed by SIGPIPE do
            if (closedOutput(ex)) return ExitCodes.CLOSED_OUTPUT;
            if (ex instanceof SentinelException se) {
                err.println(name + ": " + se.getMessage());
                err.flush();
                return se.status();
            }
            err.println(name + ": internal error: " + ex + (oo != null && oo.verbose() ? "" : " (run with --verbose for details)"));
            err.flush();
            return ExitCodes.FAILURE;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandName() + " --help' for more information.");
            err.flush();
            return ExitCodes.BAD_INPUT;
        });
        return cl.execute(args);
    }

    private static <T> T mixin(CommandSpec spec, Class<T> type) {
        for (CommandSpec m : spec.mixins().values()) {
            if (type.isInstance(m.userObject())) return type.cast(m.userObject());
        }
        return null;
    }

    /** True when {@code ex} comes from writing to a pipe whose reader has gone. */
    static boolean closedOutput(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException && t.getMessage() != null && t.getMessage().contains("Broken pipe")) return true;
        }
        return false;
    }
}
