package org.panamacnn.train;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * A live one-line progress bar per epoch — batches done, running loss, images/s, and the time
 * left for the whole run (the remaining batches of every epoch at the run's pace so far, test
 * passes included) — redrawn with a carriage return at most ten times a second, for a terminal.
 */
public final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final int epochs, batchSize;
    private final LongSupplier clock;
    private long runStart = -1, epochStart, lastDraw;
    private double lossSum;
    private int epoch, firstEpoch;

    public ProgressBar(PrintStream out, int epochs, int batchSize) {
        this(out, epochs, batchSize, System::nanoTime);
    }

    ProgressBar(PrintStream out, int epochs, int batchSize, LongSupplier nanoClock) {
        this.clock = nanoClock;
        this.out = out;
        this.epochs = epochs;
        this.batchSize = batchSize;
    }

    @Override
    public void onEpochStart(int epoch, int batches) {
        this.epoch = epoch;
        epochStart = clock.getAsLong();
        if (runStart < 0) {
            runStart = epochStart;
            firstEpoch = epoch;
        }
        lastDraw = 0;
        lossSum = 0;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double loss) {
        lossSum += loss;
        long now = clock.getAsLong();
        if (now - lastDraw < 100_000_000L && batch + 1 < batches) return;
        lastDraw = now;
        double seconds = (now - epochStart) / 1e9;
        int done = batch + 1;
        int filled = (int) ((long) WIDTH * done / batches);
        double left = secondsLeft(now, done, batches);
        out.printf("\repoch %d/%d [%s%s] %d/%d  loss %.4f  %,.0f images/s  %d:%02d left ",
                epoch + 1, epochs, "#".repeat(filled), " ".repeat(WIDTH - filled), done, batches, lossSum / done,
                done * (double) batchSize / seconds, (int) left / 60, (int) left % 60);
        out.flush();
    }

    /** The run's remaining batches (this epoch's and every later epoch's) at the run's pace so far. */
    private double secondsLeft(long now, int doneInEpoch, int batches) {
        long doneInRun = (long) (epoch - firstEpoch) * batches + doneInEpoch;
        long leftInRun = (batches - doneInEpoch) + (long) (epochs - epoch - 1) * batches;
        return (now - runStart) / 1e9 / doneInRun * leftInRun;
    }

    @Override
    public void onEpochEnd(EpochStats stats) {
        out.print("\r" + " ".repeat(100) + "\r");
        out.flush();
    }
}
