package org.panamacnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.panamacnn.cli.report.BenchReport;
import org.panamacnn.cli.report.BenchSettings;
import org.panamacnn.cli.report.BenchmarkRunner;
import org.panamacnn.cli.report.Machine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panama-cnn bench}: runs a suite of the JMH benchmarks and writes one report of them. */
@Command(name = "bench", header = "run a benchmark suite and write a report (the machine, its FMA peak, panama-cnn against its references)",
        sortOptions = false, customSynopsis = "panama-cnn bench [--suite NAME | --quick] [--out DIR] [--from DIR] [--torch-bench FILE] [--rounds N]",
        description = {"Runs a suite of the JMH benchmarks in bench/ and writes one report into DIR: report.md (with peak.svg and "
                + "references.svg) and report.html (one self-contained page). The report gives the machine (CPU, cores, the "
                + "vector width the kernels chose, JDK), its FMA peak measured by PeakBenchmark, each FLOP-counted kernel as a "
                + "share of that peak, each benchmark against the references measured in the same run (OpenBLAS, ONNX Runtime, "
                + "the scalar oracle, the plain-Java kernels), and every result as the median over JMH forks with the range of "
                + "the forks. The models and full suites add, for every definition in models/, where a training step goes step by "
                + "step (StepProfile) and its training throughput against PyTorch's on the same architecture (TrainBench and the "
                + "PyTorch reference script in alternating rounds). The results stay in DIR as jmh-*.json, layers-*.json and "
                + "pytorch.json beside machine.json. See docs/benchmarks.md.", ""})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--suite", paramLabel = "NAME", defaultValue = "quick", converter = SuiteName.class,
            description = "quick (a few minutes), kernels (GEMM shapes and threads, layers), inference (against ONNX Runtime), "
                    + "models (training steps, vector and plain-Java kernels) or full (all three; about an hour) (default ${DEFAULT-VALUE})")
    private String suite;

    @Option(names = "--quick", description = "the same as --suite quick")
    private boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-report", description = "where the report goes (default ${DEFAULT-VALUE})")
    private Path dir;

    @Option(names = "--from", paramLabel = "DIR",
            description = "run nothing: write the report again from the JMH results and machine.json a run left in DIR")
    private Path from;

    @Option(names = "--torch-bench", paramLabel = "FILE", defaultValue = "${env:PANAMA_CNN_TORCH_BENCH}",
            description = "the PyTorch reference script (torch_model_bench.py) the models suite compares with; default: the "
                    + "environment variable PANAMA_CNN_TORCH_BENCH. Without it, or without a python3 that imports torch, the report "
                    + "says so in one line")
    private Path torchScript;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
            description = "alternating rounds of panama-cnn and PyTorch per model in the models suite (default ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    private boolean help;

    private final PrintStream out;

    BenchCommand(PrintStream out) {
        this.out = out;
    }

    /** --suite's names. */
    public static final class SuiteName extends Converters.Choice {
        public SuiteName() {
            super(org.panamacnn.cli.report.Suites.NAMES.toArray(String[]::new));
        }
    }

    @Override
    public Integer call() throws IOException {
        if (quick) suite = "quick";
        if (from != null) {
            Path html = BenchReport.read(from, suite).write(dir);
            out.println("report written to " + html + " and " + dir.resolve("report.md"));
            return 0;
        }
        if (rounds < 1) throw new UsageException("--rounds must be at least 1, got " + rounds);
        if (torchScript != null && !Files.isRegularFile(torchScript)) {
            throw new UsageException("the PyTorch reference script " + torchScript + " (--torch-bench or PANAMA_CNN_TORCH_BENCH) does not exist");
        }
        BenchmarkRunner runner = ServiceLoader.load(BenchmarkRunner.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "bench needs panama-cnn's bench module on the class path: run it as ./panama-cnn bench (it builds "
                        + "bench/target/benchmarks.jar and puts it there)"));
        Files.createDirectories(dir);
        try (java.util.stream.Stream<Path> old = Files.list(dir)) {
            for (Path f : old.filter(f -> BenchReport.isResultFile(f.getFileName().toString())).toList()) Files.delete(f);
        }
        Machine machine = Machine.detect();
        machine.write(dir.resolve("machine.json"));
        out.printf("machine: %s, %d cores; kernels: %s; JDK %s%n", machine.cpu(), machine.cores(), machine.kernels(), machine.jdk());
        out.printf("suite %s: JMH results go to %s%n", suite, dir);
        runner.run(suite, dir, new BenchSettings(Path.of(System.getProperty("panamacnn.home", ".")), torchScript, rounds), out);
        Path html = BenchReport.read(dir, suite).write(dir);
        out.println("report written to " + html + " and " + dir.resolve("report.md"));
        return 0;
    }
}
