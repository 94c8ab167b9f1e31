package org.panamacnn.train;

/** Callbacks from {@link Trainer#fit}; every method has a do-nothing default. */
public interface TrainingListener {
    default void onEpochStart(int epoch, int batches) {}

    default void onBatchEnd(int epoch, int batch, int batches, double loss) {}

    default void onEpochEnd(EpochStats stats) {}
}
