package org.panamacnn.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.panamacnn.cli.report.BenchSettings;
import org.panamacnn.cli.report.BenchmarkRunner;
import org.panamacnn.cli.report.JmhResult;

/**
 * The suites of {@code panama-cnn bench}: groups of JMH benchmarks with their parameters, each
 * group run by JMH's {@link Runner} into its own JSON result file (groups cannot share one run:
 * GEMM's and inference's "impl" parameters take different values). Every group runs at least two
 * forks, so the report can give a median over forks and their spread; the quick suite shortens
 * the iterations to stay within a few minutes on 2 cores. The models and full suites then run
 * {@link ModelRuns}: a per-step profile of every model definition and its training throughput
 * against PyTorch's.
 */
public final class JmhSuiteRunner implements BenchmarkRunner {
    /** One JMH run: benchmarks matching {@code include}, parameter overrides, and the iteration settings (0: the annotations'). */
    record Group(String name, String include, Map<String, String[]> params, int forks, int warmups, int iterations, int seconds,
                 String... jvmArgsAppend) {}

    private static final String BENCH = "org.panamacnn.bench.";
    private static final String SCALAR = JmhResult.SCALAR_FLAG;

    /** For the service loader. */
    public JmhSuiteRunner() {}

    /** The groups of a suite. */
    static List<Group> suite(String name) {
        Group peak = new Group("peak", BENCH + "PeakBenchmark", Map.of(), 2, 1, 3, 1);
        List<Group> kernels = List.of(peak,
                new Group("gemm", BENCH + "GemmBenchmark", Map.of("threads", new String[] {"1", "2"}), 2, 0, 0, 0),
                new Group("layers", BENCH + "LayerBenchmark.forward$", Map.of("layer", new String[] {"conv1to32", "conv32to64", "maxpool2",
                    "dense3136to128", "inceptionblock"}), 2, 0, 0, 0));
        List<Group> inference = List.of(peak, new Group("inference", BENCH + "InferenceBenchmark", Map.of(), 2, 0, 0, 0));
        List<Group> models = List.of(peak,
                new Group("training", BENCH + "TrainingStepBenchmark", Map.of(), 2, 0, 0, 0),
                new Group("training-scalar", BENCH + "TrainingStepBenchmark", Map.of(), 2, 0, 0, 0, SCALAR));
        return switch (name) {
            case "quick" -> List.of(peak,
                    new Group("gemm", BENCH + "GemmBenchmark", Map.of("shape", new String[] {"64x288x12544"},
                        "impl", new String[] {"panama", "openblas", "oracle"}, "threads", new String[] {"1"}), 2, 3, 3, 1),
                    new Group("inference", BENCH + "InferenceBenchmark", Map.of("batch", new String[] {"1"},
                        "intraThreads", new String[] {"1"}), 2, 1, 3, 1),
                    new Group("training", BENCH + "TrainingStepBenchmark.trainStep64", Map.of("threads", new String[] {"1"}), 2, 2, 3, 1),
                    new Group("training-scalar", BENCH + "TrainingStepBenchmark.trainStep64", Map.of("threads", new String[] {"1"}),
                        2, 1, 2, 1, SCALAR));
            case "kernels" -> kernels;
            case "inference" -> inference;
            case "models" -> models;
            case "full" -> {
                List<Group> all = new ArrayList<>(kernels);
                all.addAll(inference.subList(1, inference.size()));
                all.addAll(models.subList(1, models.size()));
                yield all;
            }
            default -> throw new IllegalArgumentException("unknown suite '" + name + "'");
        };
    }

    /** Whether a suite also profiles every model definition and sets it against PyTorch ({@link ModelRuns}). */
    static boolean withModels(String suite) {
        return suite.equals("models") || suite.equals("full");
    }

    @Override
    public void run(String suiteName, Path dir, BenchSettings settings, PrintStream progress) throws java.io.IOException {
        List<Group> groups = suite(suiteName);
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            Path file = dir.resolve(String.format("jmh-%02d-%s.json", i + 1, g.name()));
            progress.printf("[%d/%d] %s (%s)...%n", i + 1, groups.size(), g.name(), g.include().replace(BENCH, ""));
            progress.flush();
            long start = System.nanoTime();
            ChainedOptionsBuilder o = new OptionsBuilder().include(g.include()).forks(g.forks())
                    .resultFormat(ResultFormatType.JSON).result(file.toString()).verbosity(VerboseMode.SILENT).shouldFailOnError(false);
            for (Map.Entry<String, String[]> p : g.params().entrySet()) o.param(p.getKey(), p.getValue());
            if (g.warmups() > 0) o.warmupIterations(g.warmups()).warmupTime(TimeValue.seconds(g.seconds()));
            if (g.iterations() > 0) o.measurementIterations(g.iterations()).measurementTime(TimeValue.seconds(g.seconds()));
            // JMH's own use of sun.misc.Unsafe would print four warning lines per fork on JDK 24+
            List<String> append = new ArrayList<>(List.of("--sun-misc-unsafe-memory-access=allow"));
            append.addAll(List.of(g.jvmArgsAppend()));
            o.jvmArgsAppend(append.toArray(String[]::new));
            int configurations;
            try {
                configurations = new Runner(o.build()).run().size();
            } catch (RunnerException e) {
                throw new IllegalStateException("JMH failed on " + g.name() + ": " + e.getMessage(), e);
            }
            progress.printf("      %d configurations in %.0f s%n", configurations, (System.nanoTime() - start) / 1e9);
        }
        if (withModels(suiteName)) new ModelRuns(dir, settings, progress).run();
    }
}
