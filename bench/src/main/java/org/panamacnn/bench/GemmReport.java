package org.panamacnn.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link GemmBenchmark} and prints GFLOP/s per shape and implementation, with each
 * implementation's speed relative to panama-cnn's measured in the same run. Accepts JMH's
 * command-line options (e.g. {@code -p shape=1024x1024x1024 -f 1}).
 */
public final class GemmReport {
    private GemmReport() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        Options cli = new CommandLineOptions(args);
        Options options = new OptionsBuilder().parent(cli).include(GemmBenchmark.class.getName()).build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.printf("%-16s %-8s %8s %12s %10s%n", "shape (MxKxN)", "impl", "threads", "ms/op", "GFLOP/s");
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            String impl = r.getParams().getParam("impl");
            String threads = impl.equals("panama") ? r.getParams().getParam("threads") : "1";
            double ms = r.getPrimaryResult().getScore();
            System.out.printf("%-16s %-8s %8s %12.3f %10.2f%n", shape, impl, threads, ms, GemmBenchmark.flops(shape) / (ms * 1e6));
        }
    }
}
