package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser's side of every command: help generated from the option definitions, one-line usage errors, --spark dispatch. */
class CommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyCommandHasGeneratedHelpListingItsOptions() {
        for (String c : List.of("train", "eval", "predict", "convert", "plot", "bench")) {
            assertEquals(0, run(c, "--help"), c);
            assertTrue(out().startsWith(Main.help(c).lines().findFirst().orElseThrow()), out());
            assertTrue(out().contains("usage: panama-cnn " + c) && out().contains("--help"), out());
            assertEquals(0, run("help", c), c);
            assertTrue(out().contains("usage: panama-cnn " + c), out());
        }
        assertEquals(0, run("help"));
        for (String c : List.of("train", "eval", "predict", "convert", "plot")) assertTrue(out().contains("  " + c + " "), out());
        assertEquals(0, run("train", "--help"));
        for (String o : List.of("--model-def", "--init", "--epochs", "--schedule", "--out", "--spark", "--mode", "--average-every",
                "--partitions")) {
            assertTrue(out().contains(o), o + " in " + out());
        }
        assertTrue(out().contains("(default 5)") && out().contains("which eval and predict read by default"), out());
        assertEquals("model.safetensors", Main.command(System.out).getSubcommands().get("train").getCommandSpec().findOption("--out").defaultValue());
    }

    @Test
    void usageErrorsAreOneLineWithTheUsageStatus() {
        String[][] cases = {
            {"--epochs needs a value", "train", "--epochs"},
            {"--model needs a value", "predict", "x.png", "--model"},
            {"unexpected argument 'foo'", "train", "foo"},
            {"unknown option --frobnicate", "eval", "--frobnicate"},
            {"unknown option --batches (did you mean --batch?)", "train", "--batches=3"},
            {"--momentum must be a number in [0, 1), got '1.5'", "train", "--momentum", "1.5"},
            {"--seed must be a whole number, got '4.5'", "train", "--seed=4.5"},
            {"--warmup must be a whole number >= 0, got '-1'", "train", "--warmup", "-1"},
            {"--test-fraction must be a number in [0, 1), got '1'", "train", "--test-fraction", "1"},
            {"--threads must be a positive whole number, got '0'", "eval", "--threads", "0"},
            {"--nesterov needs a --momentum above 0", "train", "--nesterov", "--momentum", "0"},
            {"--channels must be 1 or 3, got 2", "train", "--channels", "2"},
            {"convert needs IN.onnx OUT.safetensors", "convert", "in.onnx"},
            {"unexpected argument 'c'", "convert", "a", "b", "c"},
            {"convert: --mean and --std go together", "convert", "a", "b", "--std", "0.5"},
            {"plot needs one METRICS file (try 'panama-cnn plot --help')", "plot"},
            {"predict needs at least one IMAGE", "predict"},
            {"--mode is an option of training on Spark: give --spark MASTER too", "train", "--mode", "sync"},
            {"--mode must be sync or average, got 'fast'", "train", "--spark", "local[2]", "--mode", "fast"},
            {"--schedule is an option of training on this machine; train --spark does not take it", "train", "--spark", "local[2]",
                "--schedule", "cosine"},
        };
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            assertEquals(CommandLines.USAGE, run(args), String.join(" ", args) + " → " + err());
            assertEquals("panama-cnn: " + c[0], err(), String.join(" ", args));
        }
    }

    @Test
    void repeatedOptionsTakeTheLastAndAtIsAFileName() {
        assertEquals(1, run("eval", "--model", "a.safetensors", "--model", "@b.safetensors"));
        assertEquals("panama-cnn: file not found: @b.safetensors", err());
    }

    @Test
    void trainSparkWithoutTheSparkModuleSaysHowToGetIt() {
        assertEquals(1, run("train", "--spark", "local[2]", "--epochs", "1"));
        assertTrue(err().startsWith("panama-cnn: train --spark needs panama-cnn's spark module") && err().contains("./panama-cnn")
                && err().contains("spark-submit") && !err().contains("\n"), err());
        assertFalse(out().contains("epoch"), out());
    }

    @Test
    void benchWritesTheReportOfARecordedRunAndSaysWhereTheRunnerIs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        java.nio.file.Path report = dir.resolve("report");
        assertEquals(0, run("bench", "--from", "src/test/resources/bench-report", "--out", report.toString()), err());
        assertTrue(out().contains("report written to " + report.resolve("report.html")), out());
        assertTrue(java.nio.file.Files.exists(report.resolve("report.md")) && java.nio.file.Files.exists(report.resolve("peak.svg")));
        assertEquals(1, run("bench", "--quick", "--out", dir.resolve("run").toString()));
        assertTrue(err().startsWith("panama-cnn: bench needs panama-cnn's bench module") && err().contains("./panama-cnn bench"), err());
        assertEquals(2, run("bench", "--suite", "models", "--torch-bench", dir.resolve("torch_model_bench.py").toString()));
        assertEquals("panama-cnn: the PyTorch reference script " + dir.resolve("torch_model_bench.py")
                + " (--torch-bench or PANAMA_CNN_TORCH_BENCH) does not exist", err());
        assertEquals(2, run("bench", "--suite", "all"));
        assertEquals("panama-cnn: --suite must be quick, kernels, inference, models or full, got 'all'", err());
        assertEquals(1, run("bench", "--from", dir.resolve("none").toString()));
        assertEquals("panama-cnn: file not found: " + dir.resolve("none"), err());
    }
}
