package org.panamacnn.cli.report;

import java.nio.file.Path;

/**
 * What a benchmark run needs besides its suite: the panama-cnn checkout (its {@code models/}
 * definitions and {@code scripts/}), and for the models suite the PyTorch reference script and how
 * many alternating rounds to run.
 *
 * @param project the checkout's root directory
 * @param torchScript the PyTorch reference script ({@code torch_model_bench.py}), or null when none was given
 * @param rounds alternating rounds of panama-cnn's and PyTorch's training steps per model, ≥ 1
 */
public record BenchSettings(Path project, Path torchScript, int rounds) {
    public BenchSettings {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
    }
}
