package org.panamacnn.cli;

import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code panama-cnn} command: its subcommands, parsed by picocli. */
@Command(name = "panama-cnn", customSynopsis = "panama-cnn <command> [options]",
        commandListHeading = "%ncommands:%n", footer = {"", "'panama-cnn <command> --help' describes a command's options."})
public final class Main {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    private boolean help;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line; returns the exit status (0 ok, 1 failure, 2 wrong usage, 3 an internal error). */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        return CommandLines.run(command(out), argv, out, err);
    }

    /** The command tree, its commands writing their results to {@code out}. */
    static CommandLine command(PrintStream out) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("train", new TrainCommand(out));
        cl.addSubcommand("eval", new EvalCommand(out));
        cl.addSubcommand("predict", new PredictCommand(out));
        cl.addSubcommand("convert", new ConvertCommand(out));
        cl.addSubcommand("plot", new PlotCommand(out));
        cl.addSubcommand("bench", new BenchCommand(out));
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.getSubcommands().get("help").getCommandSpec().usageMessage().description("the commands, or 'help COMMAND': a command's options");
        return cl;
    }

    /** The help of a command ("train", ...), or of panama-cnn itself for null: what --help prints. */
    static String help(String commandName) {
        CommandLine cl = CommandLines.of(command(System.out), System.out, System.err);
        return (commandName == null ? cl : cl.getSubcommands().get(commandName)).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }
}
