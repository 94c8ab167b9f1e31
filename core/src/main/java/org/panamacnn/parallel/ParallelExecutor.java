package org.panamacnn.parallel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.panamacnn.simd.TaskRunner;

/**
 * The engine's own ForkJoinPool (never the common pool) and the one way work is spread over it:
 * {@link #forEach} runs task 0..n−1, each task a fixed slice of work, so what a task computes
 * never depends on how many threads there are.
 *
 * <p>forEach submits one small helper task per extra thread (the only allocation, a few dozen
 * bytes); helpers and the calling thread claim task indices from a shared counter. A call made
 * while another is running (from another thread, or from inside a task) runs its tasks on the
 * calling thread instead. (Reusing helper tasks through ForkJoinTask.reinitialize() would save
 * those bytes but lost wake-ups under load in testing, so each call gets fresh ones.)
 */
public final class ParallelExecutor implements TaskRunner, AutoCloseable {
    /** Runs everything on the calling thread; holds no threads, so one instance serves all. */
    public static final ParallelExecutor SEQUENTIAL = new ParallelExecutor(1);

    private final int threads;
    private final ForkJoinPool pool;
    private final Helper[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger next = new AtomicInteger();
    private volatile IntConsumer body;
    private volatile int tasks;

    public ParallelExecutor(int threads) {
        if (threads < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads - 1);
        this.helpers = new Helper[threads];
    }

    /** One thread per available core. */
    public static ParallelExecutor defaultThreads() {
        return new ParallelExecutor(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /** Runs body(0) .. body(tasks − 1), in parallel when there is more than one thread; returns when all are done. */
    @Override
    public void forEach(int tasks, IntConsumer body) {
        if (pool == null || tasks <= 1 || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        try {
            this.body = body;
            this.tasks = tasks;
            next.set(0);
            int extra = Math.min(threads, tasks) - 1;
            for (int i = 0; i < extra; i++) {
                helpers[i] = new Helper();
                pool.execute(helpers[i]);
            }
            Throwable failure = null;
            try {
                drain();
            } catch (Throwable t) {
                failure = t;
            }
            for (int i = 0; i < extra; i++) {
                try {
                    helpers[i].join();
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                }
                helpers[i] = null;
            }
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IllegalStateException(failure);
        } finally {
            this.body = null;
            busy.set(false);
        }
    }

    /** Claims and runs tasks until none are left. */
    private void drain() {
        IntConsumer b = body;
        int n = tasks;
        for (int i; (i = next.getAndIncrement()) < n; ) b.accept(i);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdown();
    }

    private final class Helper extends RecursiveAction {
        @Override
        protected void compute() {
            drain();
        }
    }
}
