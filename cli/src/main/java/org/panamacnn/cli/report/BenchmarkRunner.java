package org.panamacnn.cli.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Runs a suite of JMH benchmarks for {@code panama-cnn bench}: a service the bench module provides
 * (found with {@link java.util.ServiceLoader} when its jar is on the class path), so the cli stays
 * free of JMH and the benchmark code.
 */
public interface BenchmarkRunner {
    /**
     * Runs the suite's benchmarks and writes their JMH results as JSON files named
     * {@code jmh-*.json} into {@code dir}.
     *
     * The models suite (and full) also writes a {@link LayerProfile} per model definition and a
     * {@link TorchComparison}.
     *
     * @param suite one of {@link Suites#NAMES}
     * @param settings the checkout, and the PyTorch reference script of the models suite
     * @param progress where to say what runs
     * @throws IOException when the results cannot be written
     */
    void run(String suite, Path dir, BenchSettings settings, PrintStream progress) throws IOException;
}
