package org.panamacnn.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One epoch of a {@link PhotoFolder}: batch b+1 .. b+ahead are decoded by a fixed pool of decoder
 * threads while the caller trains on batch b. Each batch is one task filling its own buffer, and
 * the caller takes them in order, so the batches do not depend on which thread decoded what.
 * Memory: {@code ahead} batch buffers, reused, whatever the data set's size. A photo that cannot be
 * decoded ends the epoch: {@link #next} throws an {@link UncheckedIOException} naming the file
 * (the caller only ever waits on a task that finishes, with a batch or an exception, so it cannot
 * hang), and the decoders are stopped.
 */
public final class PrefetchedBatches implements BatchSource.Batches {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final PhotoFolder source;
    private final int[] order;
    private final int batchSize, epoch, ahead, total;
    private final long seed;
    private final ExecutorService decoders;
    private final ArrayDeque<Future<Batch>> pending = new ArrayDeque<>();
    private final ArrayDeque<Batch> free = new ArrayDeque<>();
    private int submitted, buffers;
    private boolean closed;

    /** A batch buffer, filled by one decoder task at a time. */
    private static final class Batch {
        final float[] images;
        final int[] labels;
        final byte[] pixels;  // one photo's bytes before normalisation
        int count;

        Batch(int batchSize, int sampleSize) {
            images = new float[Math.multiplyExact(batchSize, sampleSize)];
            labels = new int[batchSize];
            pixels = new byte[sampleSize];
        }
    }

    PrefetchedBatches(PhotoFolder source, int[] order, int batchSize, int epoch, long seed, int threads, int ahead) {
        this.source = source;
        this.order = order;
        this.batchSize = batchSize;
        this.epoch = epoch;
        this.seed = seed;
        this.ahead = ahead;
        this.total = (int) ((order.length + (long) batchSize - 1) / batchSize);
        int pool = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        this.decoders = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "photo-decoder-" + pool + "-" + count.incrementAndGet());
            t.setDaemon(true);  // never keeps the JVM alive if a caller forgets to close
            return t;
        });
        while (submitted < total && pending.size() < ahead) submitNext();
    }

    private void submitNext() {
        Batch batch = free.isEmpty() ? newBatch() : free.pop();
        int b = submitted++;
        pending.add(decoders.submit(() -> fill(batch, b)));
    }

    private Batch newBatch() {
        buffers++;
        return new Batch(batchSize, source.sampleSize());
    }

    private Batch fill(Batch batch, int b) throws IOException {
        int from = b * batchSize, n = Math.min(batchSize, order.length - from), size = source.sampleSize();
        for (int k = 0; k < n; k++) {
            int i = order[from + k];
            source.decode(i, epoch, seed, batch.pixels, batch.images, k * size);
            batch.labels[k] = source.label(i);
        }
        batch.count = n;
        return batch;
    }

    @Override
    public int next(float[] images, int[] labels) {
        if (closed) throw new IllegalStateException("these batches are closed");
        int size = source.sampleSize();
        if (images.length < (long) batchSize * size || labels.length < batchSize) {
            throw new IllegalArgumentException("buffers too small for a batch of " + batchSize + ": need " + (long) batchSize * size
                    + " floats and " + batchSize + " labels, got " + images.length + " and " + labels.length);
        }
        Future<Batch> head = pending.poll();
        if (head == null) return 0;
        Batch batch;
        try {
            batch = head.get();
        } catch (ExecutionException e) {
            close();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw new UncheckedIOException(io.getMessage(), io);
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for decoded photos", e);
        }
        int n = batch.count;
        System.arraycopy(batch.images, 0, images, 0, n * size);
        System.arraycopy(batch.labels, 0, labels, 0, n);
        free.push(batch);
        if (submitted < total) submitNext();
        return n;
    }

    @Override
    public int batchesPerEpoch() {
        return total;
    }

    /** Batch buffers allocated so far: at most ahead, whatever the epoch's length. */
    public int buffers() {
        return buffers;
    }

    /** Stops the decoders (a task under way finishes its photo and is dropped). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        decoders.shutdownNow();
        pending.clear();
    }

    /** Whether every decoder thread has ended (after {@link #close}). */
    public boolean terminated() {
        return decoders.isTerminated();
    }
}
