package org.panamacnn.train;

import java.io.PrintStream;

/**
 * A live one-line progress bar per epoch — batches done, running loss, images/s, time left —
 * redrawn with a carriage return at most ten times a second, for a terminal.
 */
public final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final int epochs, batchSize;
    private long epochStart, lastDraw;
    private double lossSum;
    private int epoch;

    public ProgressBar(PrintStream out, int epochs, int batchSize) {
        this.out = out;
        this.epochs = epochs;
        this.batchSize = batchSize;
    }

    @Override
    public void onEpochStart(int epoch, int batches) {
        this.epoch = epoch;
        epochStart = System.nanoTime();
        lastDraw = 0;
        lossSum = 0;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss) {
        lossSum += loss;
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && batch + 1 < batches) return;
        lastDraw = now;
        double seconds = (now - epochStart) / 1e9;
        int done = batch + 1;
        int filled = (int) ((long) WIDTH * done / batches);
        double left = seconds / done * (batches - done);
        out.printf("\repoch %d/%d [%s%s] %d/%d  loss %.4f  %,.0f images/s  %d:%02d left ",
                epoch + 1, epochs, "#".repeat(filled), " ".repeat(WIDTH - filled), done, batches, lossSum / done,
                done * (double) batchSize / seconds, (int) left / 60, (int) left % 60);
        out.flush();
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        out.print("\r" + " ".repeat(100) + "\r");
        out.flush();
    }
}
