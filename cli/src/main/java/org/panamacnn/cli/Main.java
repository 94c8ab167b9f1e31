package org.panamacnn.cli;

import java.io.IOException;
import org.panamacnn.train.TrainingDivergedException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The {@code panama-cnn} command. */
public final class Main {
    static final String HELP = """
            usage: panama-cnn <command> [options]

            commands:
              train     train a CNN (the default, or --model-def) on IDX, CIFAR-10 or image folders
              eval      accuracy, per-class accuracy and confusion matrix of a saved model
              predict   classify images (PNG, JPEG, ..., IDX) with a saved model (.safetensors or .onnx)
              convert   an ONNX model (e.g. from PyTorch) as a panama-cnn model file
              plot      loss and accuracy curves of a training run's metrics file (SVG or HTML)
              help      this text

            'panama-cnn <command> --help' describes a command's options.
            """;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line; returns the exit status (0 ok, 1 failure, 2 wrong usage). */
    static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length == 0) {
            err.print(HELP);
            return 2;
        }
        List<String> rest = Arrays.asList(argv).subList(1, argv.length);
        try {
            return switch (argv[0]) {
                case "train" -> TrainCommand.run(rest, out);
                case "eval" -> EvalCommand.run(rest, out);
                case "predict" -> PredictCommand.run(rest, out);
                case "convert" -> ConvertCommand.run(rest, out);
                case "plot" -> PlotCommand.run(rest, out);
                case "help", "--help", "-h" -> {
                    out.print(HELP);
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + argv[0] + "' (try 'panama-cnn help')");
            };
        } catch (UsageException e) {
            err.println("panama-cnn: " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            err.println("panama-cnn: file not found: " + e.getFile());
            return 1;
        } catch (IOException e) {
            err.println("panama-cnn: " + org.panamacnn.io.IoErrors.describe(e));
            return 1;
        } catch (java.io.UncheckedIOException e) {
            String m = e.getMessage(), cause = org.panamacnn.io.IoErrors.describe(e.getCause());
            boolean said = m != null && (m.contains(cause) || m.contains(e.getCause().toString()));
            err.println("panama-cnn: " + (m == null ? cause : said ? m : m + " (" + cause + ")"));
            return 1;
        } catch (IllegalArgumentException | IllegalStateException | TrainingDivergedException e) {
            err.println("panama-cnn: " + message(e));
            return 1;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // a fault of ours, not of the input: one line that says so, never a bare "null"
            err.println("panama-cnn: internal error: " + e + " (please report it with the command line)");
            return 3;
        }
    }

    /** The exception's message, or its kind when it has none: never "null". */
    static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }

    /** The bundled sample, found from the install directory the launcher passes (or the working directory). */
    static Path defaultDataDir() {
        return Path.of(System.getProperty("panamacnn.home", ".")).resolve("data").resolve("fashion-mnist-sample");
    }
}
