package org.panamacnn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.panamacnn.io.Checkpoint;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Optimizer;

/** Saves a checkpoint every N epochs into a directory (epoch-E.safetensors) and keeps the last K. */
public final class CheckpointWriter implements TrainingListener {
    private final Path dir;
    private final int every, keep;
    private final Sequential model;
    private final Optimizer optimizer;
    private final long seed;
    private final Map<String, String> metadata;
    private final Deque<Path> written = new ArrayDeque<>();

    public CheckpointWriter(Path dir, int every, int keep, Sequential model, Optimizer optimizer, long seed,
                            Map<String, String> metadata) {
        if (every < 1 || keep < 1) throw new IllegalArgumentException("checkpoint every " + every + ", keep " + keep);
        this.dir = dir;
        this.every = every;
        this.keep = keep;
        this.model = model;
        this.optimizer = optimizer;
        this.seed = seed;
        this.metadata = metadata;
    }

    public static Path fileFor(Path dir, int epoch) {
        return dir.resolve(String.format("epoch-%04d.safetensors", epoch));
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        if (stats.epoch() % every != 0) return;
        Path file = fileFor(dir, stats.epoch());
        try {
            Checkpoint.save(file, model, optimizer, stats.epoch(), seed, metadata);
            written.addLast(file);
            while (written.size() > keep) Files.deleteIfExists(written.removeFirst());
        } catch (IOException e) {
            // The earlier checkpoints are untouched (a failed write leaves no file behind), so
            // training stops here and the last one written is the one to resume from.
            throw new UncheckedIOException("cannot write checkpoint " + file + " (" + e + "); the last good checkpoint is "
                    + (written.isEmpty() ? "none from this run" : written.getLast().toString()), e);
        }
    }
}
