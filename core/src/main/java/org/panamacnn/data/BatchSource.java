package org.panamacnn.data;

/**
 * Labelled images handed out in mini-batches: a {@link Dataset} held in memory, or a {@link
 * PhotoFolder} decoded batch by batch as training goes. The trainer and the evaluation read both
 * through this.
 */
public interface BatchSource {
    /** Number of samples. */
    int size();

    int channels();

    int height();

    int width();

    int numClasses();

    /**
     * The batches of one epoch, in an order shuffled from (seed, epoch) (as {@link BatchIterator}
     * documents) or in data set order. Close them when done (an in-memory set has nothing to close;
     * a streamed one stops its decoders).
     */
    Batches batches(int epoch, int batchSize, boolean shuffle, long seed);

    /** One epoch's batches. */
    interface Batches extends AutoCloseable {
        /**
         * Copies the next batch (sample k's C×H×W floats to {@code images[k·C·H·W ...]}, its label to
         * {@code labels[k]}) and returns how many samples it has; 0 once the epoch is done.
         */
        int next(float[] images, int[] labels);

        /** Batches in the epoch, counting a partial last one. */
        int batchesPerEpoch();

        @Override
        void close();
    }
}
