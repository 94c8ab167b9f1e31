package org.panamacnn.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Mini-batches over a {@link Dataset}, shuffled per epoch or in order, copied into
 * caller-owned buffers so that the steady state allocates nothing.
 *
 * <p>Shuffled order: at {@link #reset(int) reset(epoch)} the index permutation is rebuilt
 * from the identity by a Fisher–Yates shuffle (from the last position down, swapping
 * position {@code i} with {@code rng.nextInt(i + 1)}) driven by
 * {@code new SplittableRandom(seed ^ ((epoch + 1) * 0x9E3779B97F4A7C15L))}. The order
 * therefore depends only on (seed, epoch, dataset size), never on threads, timing or the
 * machine, and any epoch can be replayed directly, e.g. when resuming from a checkpoint.
 * {@code SplittableRandom}'s algorithm (SplitMix64) has not changed since JDK 8; a test
 * pins one permutation so a change would be noticed.
 *
 * <p>Usage:
 * <pre>{@code
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     batches.reset(epoch);
 *     for (int n; (n = batches.next(x, y)) > 0; ) { ... first n samples of x, y ... }
 * }
 * }</pre>
 */
public final class BatchIterator implements BatchSource.Batches {
    // Odd 64-bit golden-ratio constant: spreads consecutive epochs far apart in seed space.
    private static final long EPOCH_GAMMA = 0x9E3779B97F4A7C15L;

    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final int[] order;
    private int position;
    private int epoch;

    private BatchIterator(Dataset data, int batchSize, boolean shuffle, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.order = new int[data.size()];
        reset(0);
    }

    /** Batches in a fresh shuffled order per epoch; starts at epoch 0. */
    public static BatchIterator shuffled(Dataset data, int batchSize, long seed) {
        return new BatchIterator(data, batchSize, true, seed);
    }

    /** Batches in data set order, for evaluation; {@link #reset} just rewinds. */
    public static BatchIterator sequential(Dataset data, int batchSize) {
        return new BatchIterator(data, batchSize, false, 0);
    }

    /** Starts epoch {@code epoch} (≥ 0) from its first batch, with that epoch's order. */
    public void reset(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
        this.position = 0;
        if (shuffle) {
            shuffle(order, seed, epoch);
        } else {
            for (int i = 0; i < order.length; i++) order[i] = i;
        }
    }

    /** Fills order with epoch's permutation of 0..order.length−1 for seed (the shuffle the class comment describes). */
    static void shuffle(int[] order, long seed, int epoch) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed ^ ((epoch + 1) * EPOCH_GAMMA));
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Nothing to release: the batches are copies from memory. */
    @Override
    public void close() {}

    /**
     * Copies the next batch: sample k's C×H×W floats go to {@code images[k * sampleSize ...]}
     * and its label to {@code labels[k]}. Returns how many samples were copied: {@code batchSize},
     * fewer for the last batch of an epoch, 0 once the epoch is done.
     *
     * @throws IllegalArgumentException if a buffer is smaller than a full batch needs
     */
    @Override
    public int next(float[] images, int[] labels) {
        int sampleSize = data.sampleSize();
        if (images.length < (long) batchSize * sampleSize || labels.length < batchSize) {
            throw new IllegalArgumentException("buffers too small for a batch of " + batchSize + ": need "
                    + (long) batchSize * sampleSize + " floats and " + batchSize + " labels, got "
                    + images.length + " and " + labels.length);
        }
        int n = Math.min(batchSize, order.length - position);
        for (int k = 0; k < n; k++) {
            int index = order[position + k];
            data.copySample(index, images, k * sampleSize);
            labels[k] = data.label(index);
        }
        position += n;
        return n;
    }

    /** Whether the current epoch has batches left. */
    public boolean hasNext() {
        return position < order.length;
    }

    /** Batches per epoch, counting a partial last batch: ceil(size / batchSize). */
    @Override
    public int batchesPerEpoch() {
        return (int) ((order.length + (long) batchSize - 1) / batchSize);
    }

    public int batchSize() {
        return batchSize;
    }

    /** The epoch set by the last {@link #reset}. */
    public int epoch() {
        return epoch;
    }

    /** The data set index of the sample at {@code position} in this epoch's order. */
    public int indexAt(int position) {
        return order[Objects.checkIndex(position, order.length)];
    }

    public Dataset dataset() {
        return data;
    }
}
