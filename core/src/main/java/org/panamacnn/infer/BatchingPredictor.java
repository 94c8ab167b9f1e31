package org.panamacnn.infer;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A micro-batching front for a {@link Predictor}, for services that prefer throughput to the
 * last microsecond of latency: concurrent {@link #probabilities} calls are queued, and one
 * dispatcher thread gathers up to maxBatch of them — waiting at most maxWait after the first —
 * and runs them as one batch. Each caller blocks until its own answer is written. The answers
 * are the same bits as the predictor's single-image calls. Request objects are reused per
 * calling thread, so a call allocates nothing in steady state.
 */
public final class BatchingPredictor implements AutoCloseable {
    private final Predictor predictor;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final ArrayBlockingQueue<Request> queue;
    private final ThreadLocal<Request> requests = ThreadLocal.withInitial(Request::new);
    private final Thread dispatcher;
    private final Workspace workspace;
    private final float[] images, probabilities;
    private final Request[] batch;
    private volatile boolean closed;

    /** One caller's request, reused for each of its calls. */
    private static final class Request {
        float[] image, out;
        Thread caller;
        RuntimeException failure;
        volatile boolean done;
    }

    public BatchingPredictor(Predictor predictor, int maxBatch, Duration maxWait) {
        if (maxBatch < 1 || maxBatch > Predictor.MAX_BATCH) {
            throw new IllegalArgumentException("batch size must be in 1.." + Predictor.MAX_BATCH + ", got " + maxBatch);
        }
        if (maxWait.isNegative()) throw new IllegalArgumentException("wait must not be negative: " + maxWait);
        this.predictor = predictor;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.queue = new ArrayBlockingQueue<>(4 * maxBatch);
        this.workspace = predictor.newWorkspace(maxBatch);
        this.images = new float[maxBatch * predictor.inputShape().size()];
        this.probabilities = new float[maxBatch * predictor.classes()];
        this.batch = new Request[maxBatch];
        this.dispatcher = Thread.ofPlatform().name("panama-cnn-batcher").daemon().unstarted(this::dispatch);
        dispatcher.start();
    }

    /**
     * Writes the image's class probabilities into out, once its batch has run. Validates as
     * {@link Predictor#probabilities(float[], float[])} does, on the calling thread.
     *
     * @throws IllegalStateException if this front is closed
     */
    public void probabilities(float[] image, float[] out) throws InterruptedException {
        if (closed) throw new IllegalStateException("this BatchingPredictor is closed");
        int size = predictor.inputShape().size();
        if (image.length != size) {
            throw new IllegalArgumentException("image has " + image.length + " values but the model takes "
                    + predictor.inputShape() + " = " + size);
        }
        if (out.length < predictor.classes()) {
            throw new IllegalArgumentException("output array has " + out.length + " elements, needs " + predictor.classes());
        }
        Request r = requests.get();
        r.image = image;
        r.out = out;
        r.caller = Thread.currentThread();
        r.failure = null;
        r.done = false;
        queue.put(r);
        while (!r.done) {
            LockSupport.park(this);
            if (closed && !r.done && !dispatcher.isAlive()) throw new IllegalStateException("this BatchingPredictor was closed");
        }
        r.image = r.out = null;
        if (r.failure != null) throw r.failure;
    }

    private void dispatch() {
        int size = predictor.inputShape().size(), k = predictor.classes();
        while (!closed) {
            int count = 0;
            try {
                Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch[count++] = first;
                long deadline = System.nanoTime() + maxWaitNanos;
                while (count < maxBatch) {
                    Request next = queue.poll();
                    if (next == null) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) break;
                        next = queue.poll(left, TimeUnit.NANOSECONDS);
                        if (next == null) break;
                    }
                    batch[count++] = next;
                }
            } catch (InterruptedException e) {
                if (closed) break;
            }
            if (count == 0) continue;
            RuntimeException failure = null;
            try {
                for (int i = 0; i < count; i++) System.arraycopy(batch[i].image, 0, images, i * size, size);
                predictor.probabilities(images, count, probabilities, workspace);
            } catch (RuntimeException e) {
                failure = e;
            }
            for (int i = 0; i < count; i++) {
                Request r = batch[i];
                batch[i] = null;
                if (failure == null) System.arraycopy(probabilities, i * k, r.out, 0, k);
                r.failure = failure;
                r.done = true;
                LockSupport.unpark(r.caller);
            }
        }
        // Anyone still queued gets an answer: closed.
        for (Request r; (r = queue.poll()) != null; ) {
            r.failure = new IllegalStateException("this BatchingPredictor was closed");
            r.done = true;
            LockSupport.unpark(r.caller);
        }
    }

    /** Stops the dispatcher after the batch it is running; later calls throw. The predictor stays open. */
    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        try {
            dispatcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
