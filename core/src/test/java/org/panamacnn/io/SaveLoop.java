package org.panamacnn.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.train.CheckpointWriter;
import org.panamacnn.train.EpochStats;

/** A child JVM for {@link CheckpointFaultTest}: writes checkpoints into args[0] until it is killed. */
public final class SaveLoop {
    public static void main(String[] args) {
        Sequential m = CheckpointFaultTest.model();
        Sgd sgd = new Sgd(0.1f, 0.9f, 0f, false);
        m.params().forEach(sgd::slots);  // momentum buffers exist, so checkpoints carry them
        CheckpointWriter w = new CheckpointWriter(Path.of(args[0]), 1, 2, m, sgd, 1, Map.of());
        for (int epoch = 1; ; epoch++) {
            m.params().get(0).value().data()[0] = epoch;  // each file differs
            w.onEpochEnd(new EpochStats(epoch, 0, 0, 0, 0, 1, 1));
        }
    }

    private SaveLoop() {}
}
