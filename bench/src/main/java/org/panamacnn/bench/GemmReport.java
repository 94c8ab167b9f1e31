package org.panamacnn.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link GemmBenchmark} and prints GFLOP/s per shape, implementation and thread count, with
 * each implementation's speed relative to OpenBLAS's on the same shape and threads, measured in
 * the same run. Accepts JMH's command-line options (e.g. {@code -p shape=1024x1024x1024 -f 1}).
 *
 * <p>The machine is shared: a call's speed can halve for seconds while the host is busy, which
 * drags a mean down by however long that lasted. So the run times every call (JMH's sample mode,
 * unless {@code -bm} says otherwise) and the table leads with the median call, then the fastest
 * measurement iteration's median (the speed when the host lets us run), then JMH's mean.
 */
public final class GemmReport {
    private GemmReport() {}

    /** One line of the table; speeds in GFLOP/s. */
    private record Row(String shape, String impl, int threads, long samples, double medianMs,
                       double median, double best, double mean) {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli).include(GemmBenchmark.class.getName());
        Collection<Mode> modes = cli.getBenchModes();
        if (modes.isEmpty()) {
            options.mode(Mode.SampleTime);
        } else if (!Set.of(Mode.SampleTime, Mode.AverageTime, Mode.SingleShotTime).containsAll(modes)) {
            System.err.println("gemm-report reads times per call: use -bm sample (the default), avgt or ss");
            System.exit(2);
        }
        Collection<RunResult> results = new Runner(options.build()).run();

        List<Row> rows = new ArrayList<>();
        Map<String, Row> openBlas = new HashMap<>();
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            String impl = r.getParams().getParam("impl");
            // Only panama-cnn and OpenBLAS use the threads parameter; EJML and the oracle run on one.
            int threads = impl.equals("panama") || impl.equals("openblas") ? Integer.parseInt(r.getParams().getParam("threads")) : 1;
            double flops = GemmBenchmark.flops(shape);
            double nsPerUnit = r.getParams().getTimeUnit().toNanos(1);
            var stats = r.getPrimaryResult().getStatistics();
            // In sample mode the statistics hold every timed call of every fork; in avgt, one score per iteration.
            double medianNs = stats.getPercentile(50) * nsPerUnit;
            // The best iteration by its median call: an iteration's mean still carries its few slow calls.
            double bestNs = Double.POSITIVE_INFINITY;
            for (BenchmarkResult fork : r.getBenchmarkResults()) {
                for (IterationResult iteration : fork.getIterationResults()) {
                    bestNs = Math.min(bestNs, iteration.getPrimaryResult().getStatistics().getPercentile(50) * nsPerUnit);
                }
            }
            Row row = new Row(shape, impl, threads, stats.getN(), medianNs / 1e6,
                    flops / medianNs, flops / bestNs, flops / (r.getPrimaryResult().getScore() * nsPerUnit));
            rows.add(row);
            if (impl.equals("openblas")) openBlas.put(shape + "/" + threads, row);
        }

        System.out.println();
        System.out.printf("%-16s %-8s %7s %8s %10s %9s %9s %9s %13s %13s%n", "shape (MxKxN)", "impl", "threads", "samples",
                "ms/op p50", "GF/s p50", "GF/s best", "GF/s mean", "/openblas p50", "/openblas best");
        for (Row row : rows) {
            Row ref = openBlas.get(row.shape() + "/" + row.threads());
            boolean compare = ref != null && row != ref;
            System.out.printf("%-16s %-8s %7d %8d %10.3f %9.2f %9.2f %9.2f %13s %13s%n", row.shape(), row.impl(), row.threads(),
                    row.samples(), row.medianMs(), row.median(), row.best(), row.mean(),
                    compare ? String.format("%.2f", row.median() / ref.median()) : "",
                    compare ? String.format("%.2f", row.best() / ref.best()) : "");
        }
        System.out.println();
        System.out.println("GF/s p50: GFLOP/s of the median call of all forks and iterations (with -bm avgt: of the median"
                + " iteration); best: of the median call of the fastest measurement iteration; mean: JMH's score."
                + " /openblas: this speed over OpenBLAS's on the same shape and threads in this run.");
    }
}
