package org.panamacnn.parallel;

/**
 * The fixed split of a batch into chunks: it depends on the batch size alone, so per-chunk
 * partial sums — and their reduction in chunk order — are the same at any thread count.
 */
public final class BatchChunks {
    /** Enough chunks to balance a few threads, few enough that per-chunk buffers stay small. */
    public static final int MAX_CHUNKS = 8;

    private BatchChunks() {}

    public static int count(int batch) {
        return Math.min(batch, MAX_CHUNKS);
    }

    /** First sample of chunk i of count over batch; chunk i is [start(i), start(i + 1)). */
    public static int start(int i, int count, int batch) {
        return (int) ((long) i * batch / count);
    }
}
