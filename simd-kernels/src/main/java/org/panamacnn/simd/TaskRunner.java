package org.panamacnn.simd;

import java.util.function.IntConsumer;

/**
 * Runs tasks 0..n−1 and returns when all are done — on one thread or many. Kernels that can
 * split their work take one; the engine's executor implements it. Kernels always split work
 * the same way, whatever runs the tasks, so results do not depend on the thread count.
 */
@FunctionalInterface
public interface TaskRunner {
    /** Runs every task on the calling thread, in order. */
    TaskRunner SERIAL = (tasks, body) -> {
        for (int i = 0; i < tasks; i++) body.accept(i);
    };

    void forEach(int tasks, IntConsumer body);

    /**
     * How many threads may run tasks at once. A kernel may split its work by this (never its
     * results: every split gives the same bits), e.g. to avoid repeating work in a split that
     * only one thread would run.
     */
    default int parallelism() {
        return 1;
    }
}
