package org.panamacnn.train;

import java.util.List;

/** Several listeners as one, called in order. */
public final class Listeners implements TrainingListener {
    private final List<TrainingListener> all;

    public Listeners(List<TrainingListener> all) {
        this.all = List.copyOf(all);
    }

    @Override
    public void onEpochStart(int epoch, int batches) {
        for (TrainingListener l : all) l.onEpochStart(epoch, batches);
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss) {
        for (TrainingListener l : all) l.onBatchEnd(epoch, batch, batches, loss);
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        for (TrainingListener l : all) l.onEpochEnd(stats);
    }
}
