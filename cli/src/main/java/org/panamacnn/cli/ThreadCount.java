package org.panamacnn.cli;

import java.io.PrintStream;

/** The worker threads a command uses: --threads, capped so that many threads cannot only cost memory. */
final class ThreadCount {
    /** Threads per core that --threads may ask for: beyond this, threads only add memory (their stacks) and switching. */
    static final int THREADS_PER_CORE = 4;

    private ThreadCount() {}

    /**
     * {@code asked}, capped at {@link #THREADS_PER_CORE} × the cores with a notice
     * on {@code notices}: 10,000 threads on 2 cores ran 5× slower and held 1.35 GB.
     */
    static int capped(int asked, PrintStream notices) {
        int cores = Runtime.getRuntime().availableProcessors(), cap = THREADS_PER_CORE * cores;
        if (asked <= cap) return asked;
        notices.printf("panama-cnn: --threads %d is more than %d × the %d cores; using %d%n", asked, THREADS_PER_CORE, cores, cap);
        return cap;
    }
}
