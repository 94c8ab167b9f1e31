package org.panamacnn.optim;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.panamacnn.nn.Param;
import org.panamacnn.parallel.ParallelExecutor;

/**
 * Runs an optimizer's elementwise update of every parameter, a large parameter cut into slices
 * spread over an executor. Each element is updated by the same formula from its own values, so
 * the bits do not depend on the cut or the thread count. One instance per optimizer: the slice
 * task reads the current parameter from fields, so a step allocates nothing.
 */
final class SlicedUpdate {
    /** The update of elements [from, to) of p. */
    interface Range {
        void update(Param p, int from, int to);
    }

    /** Below this many floats a parameter is updated on the calling thread (a fork costs more). */
    static final int MIN_SLICE = 32 * 1024;

    private final Consumer<Param> prepare;
    private final Range range;
    private final IntConsumer sliceTask = this::slice;
    private Param current;
    private int slices;

    /**
     * prepare runs on the calling thread for every parameter before its slices are forked: it
     * creates the optimizer's slots for it, so the slices only read the optimizer's map.
     */
    SlicedUpdate(Consumer<Param> prepare, Range range) {
        this.prepare = prepare;
        this.range = range;
    }

    void run(List<Param> params, ParallelExecutor executor) {
        for (int i = 0; i < params.size(); i++) {  // indexed: no iterator per step
            Param p = params.get(i);
            prepare.accept(p);
            int n = Math.min(executor.parallelism(), p.size() / MIN_SLICE);
            if (n <= 1) {
                range.update(p, 0, p.size());
                continue;
            }
            current = p;
            slices = n;
            executor.forEach(n, sliceTask);
        }
        current = null;
    }

    private void slice(int i) {
        int size = current.size();
        range.update(current, (int) ((long) i * size / slices), (int) ((long) (i + 1) * size / slices));
    }
}
