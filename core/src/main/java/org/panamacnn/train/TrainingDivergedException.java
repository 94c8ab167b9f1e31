package org.panamacnn.train;

/**
 * Training produced a non-finite loss or gradient: names the epoch and batch (1-based, as the
 * log prints them) and the first layer whose values went non-finite. Thrown before the optimizer
 * applies the step, so the weights are still those of the last good step; nothing is saved.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int epoch, batch;

    public TrainingDivergedException(int epoch, int batch, String what) {
        super("training diverged in epoch " + epoch + ", batch " + batch + ": " + what
                + ". Nothing was saved for this run from here on; lower --lr, add --clip-norm, or resume from the last checkpoint.");
        this.epoch = epoch;
        this.batch = batch;
    }

    public int epoch() {
        return epoch;
    }

    public int batch() {
        return batch;
    }
}
