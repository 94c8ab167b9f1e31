package org.panamacnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.Callable;
import org.panamacnn.io.IoErrors;
import org.panamacnn.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Runs a picocli command the way every panama-cnn command runs: parsed with the same settings,
 * help on request, and every failure as one line "panama-cnn: ..." with an exit status that
 * says whose fault it was — 0 ok, 1 the input or the environment, 2 the command line, 3 ours.
 * The spark module's {@code SparkTrain} runs through here too, so both say the same things.
 */
public final class CommandLines {
    /** Exit status of a wrong command line. */
    public static final int USAGE = 2;

    private CommandLines() {}

    /**
     * A command line over {@code command} (an annotated command object, or a {@link CommandLine}
     * already holding subcommands) with panama-cnn's parser settings, writing help to {@code out}.
     */
    public static CommandLine of(Object command, PrintStream out, PrintStream err) {
        CommandLine cl = command instanceof CommandLine c ? c : new CommandLine(command);
        cl.setExpandAtFiles(false);              // "@x" is a file name, not a file of arguments
        cl.setOverwrittenOptionsAllowed(true);   // the last of a repeated option wins
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        lowerCaseUsage(cl);
        return cl;
    }

    /**
     * Parses {@code argv} for {@code command} (a {@link Callable} returning the exit status, or a
     * command with subcommands that are) and runs what it names. Without a subcommand where one is
     * needed, prints the usage on {@code err} and returns {@link #USAGE}.
     */
    public static int run(Object command, String[] argv, PrintStream out, PrintStream err) {
        CommandLine cl = of(command, out, err);
        try {
            ParseResult parsed = cl.parseArgs(argv);
            if (CommandLine.printHelpIfRequested(parsed)) return 0;
            while (parsed.hasSubcommand()) parsed = parsed.subcommand();
            Object chosen = parsed.commandSpec().userObject();
            if (!(chosen instanceof Callable<?> c)) {
                err.print(parsed.commandSpec().commandLine().getUsageMessage());
                return USAGE;
            }
            Object status = c.call();
            return status instanceof Integer i ? i : 0;
        } catch (ParameterException e) {
            err.println("panama-cnn: " + usageError(e));
            return USAGE;
        } catch (UsageException e) {
            err.println("panama-cnn: " + e.getMessage());
            return USAGE;
        } catch (NoSuchFileException e) {
            err.println("panama-cnn: file not found: " + e.getFile());
            return 1;
        } catch (IOException e) {
            err.println("panama-cnn: " + IoErrors.describe(e));
            return 1;
        } catch (java.io.UncheckedIOException e) {
            String m = e.getMessage(), cause = IoErrors.describe(e.getCause());
            boolean said = m != null && (m.contains(cause) || m.contains(e.getCause().toString()));
            err.println("panama-cnn: " + (m == null ? cause : said ? m : m + " (" + cause + ")"));
            return 1;
        } catch (IllegalArgumentException | IllegalStateException | TrainingDivergedException e) {
            err.println("panama-cnn: " + message(e));
            return 1;
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            // a fault of ours, not of the input: one line that says so, never a bare "null"
            err.println("panama-cnn: internal error: " + e + " (please report it with the command line)");
            return 3;
        }
    }

    /** "usage: ..." as the commands have always said it, after the one-line header when there is one; 100 columns. */
    private static void lowerCaseUsage(CommandLine cl) {
        CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        usage.synopsisHeading(usage.header().length > 0 ? "%nusage: " : "usage: ").width(100);
        for (CommandLine sub : cl.getSubcommands().values()) lowerCaseUsage(sub);
    }

    /** The exception's message, or its kind when it has none: never "null". */
    static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }

    /** What was wrong with the command line, in one line, in the words the commands have always used. */
    static String usageError(ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            boolean root = u.getCommandLine().getParent() == null && !u.getCommandLine().getSubcommands().isEmpty();
            if (!arg.startsWith("-")) {
                return root ? "unknown command '" + arg + "' (try '" + u.getCommandLine().getCommandName() + " help')"
                        : "unexpected argument '" + arg + "'";
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            List<String> near = u.getSuggestions().stream().filter(s -> s.startsWith("--")).limit(1).toList();
            return "unknown option " + name + (near.isEmpty() ? "" : " (did you mean " + near.get(0) + "?)");
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()) {
            ArgSpec missing = m.getMissing().get(0);
            if (missing instanceof OptionSpec o) return o.longestName() + " needs a value";
        }
        if (e.getCause() instanceof CommandLine.TypeConversionException t && e.getArgSpec() instanceof OptionSpec o) {
            return o.longestName() + " must be " + t.getMessage() + ", got '" + e.getValue() + "'";
        }
        if (e.getCause() instanceof UsageException u) return u.getMessage();
        return firstLine(message(e));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
