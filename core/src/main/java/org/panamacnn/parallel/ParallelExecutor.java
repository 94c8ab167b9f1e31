package org.panamacnn.parallel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;
import org.panamacnn.simd.TaskRunner;

/**
 * The engine's own ForkJoinPool (never the common pool) and the one way work is spread over it:
 * {@link #forEach} runs task 0..n−1, each task a fixed slice of work, so what a task computes
 * never depends on how many threads there are.
 */
public final class ParallelExecutor implements TaskRunner, AutoCloseable {
    /** Runs everything on the calling thread; holds no threads, so one instance serves all. */
    public static final ParallelExecutor SEQUENTIAL = new ParallelExecutor(1);

    private final int threads;
    private final ForkJoinPool pool;

    public ParallelExecutor(int threads) {
        if (threads < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
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
        if (pool == null || tasks <= 1 || java.util.concurrent.ForkJoinTask.getPool() == pool) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        pool.invoke(new Range(body, 0, tasks));
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdown();
    }

    private static final class Range extends RecursiveAction {
        private final IntConsumer body;
        private final int from, to;

        Range(IntConsumer body, int from, int to) {
            this.body = body;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                body.accept(from);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Range(body, from, mid), new Range(body, mid, to));
        }
    }
}
