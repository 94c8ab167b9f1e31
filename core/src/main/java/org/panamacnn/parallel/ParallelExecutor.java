package org.panamacnn.parallel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.panamacnn.simd.TaskRunner;

/**
 * The engine's own ForkJoinPool (never the common pool) and the one way work is spread over it:
 * {@link #forEach} runs task 0..n−1, each task a fixed slice of work, so what a task computes
 * never depends on how many threads there are.
 *
 * <p>The pool runs threads − 1 long-lived worker loops, started with the executor, so a call
 * allocates nothing: it writes the call's body and task count into fields, opens the call by
 * writing a new generation into one atomic {@code state} word, and wakes the workers it wants
 * (min(threads, tasks) − 1 of them). Workers and the calling thread then claim task indices from a
 * shared counter. A worker takes part only by registering in {@code state} — a CAS that succeeds
 * only while that very call is open — and deregisters when it finds no task left. When the
 * caller has no task left it closes the call (no worker can register after that) and waits until
 * no worker is registered, so it returns only when every task has ended, and sees everything the
 * tasks wrote. A worker that wakes late finds the call closed and simply waits for the next one;
 * it can never run a task of a call it did not register in.
 *
 * <p>Waiting never loses a wake-up. An idle worker spins a few microseconds, then sets its
 * {@code parked} flag and reads {@code state} again before parking; the caller writes
 * {@code state} before it reads that flag and unparks the worker if it is set. Both are volatile,
 * so either the worker's re-read sees the new call or the caller sees the flag — and an unpark
 * that comes before the park makes the park return at once. The caller waits the same way:
 * the worker whose deregistration leaves a closed call empty unparks the caller, which re-reads
 * {@code state} before every park. (Reusing ForkJoinTasks through reinitialize() instead lost
 * wake-ups under load in testing.)
 *
 * <p>A call made while another is running (from another thread, or from inside a task) runs its
 * tasks on the calling thread instead. The first exception a task throws is rethrown as it is
 * (checked ones wrapped in IllegalStateException) once every running task has ended; tasks not
 * started by then are skipped. {@link #close} stops the workers; any forEach after it throws
 * IllegalStateException. Workers park forever when idle, so an executor must be closed to end
 * its threads.
 */
public final class ParallelExecutor implements TaskRunner, AutoCloseable {
    /** Runs everything on the calling thread; holds no threads, so one instance serves all. */
    public static final ParallelExecutor SEQUENTIAL = new ParallelExecutor(1);

    /**
     * Spin iterations before parking. Thread.onSpinWait is a PAUSE of ~10–150 cycles depending on
     * the CPU, so this is ~0.5–10 µs: long enough to catch back-to-back calls without a park/unpark
     * round trip, short enough not to burn a core between calls.
     */
    private static final int DEFAULT_SPINS = 128;
    private final int spins;

    // state: generation of the current call in the high 32 bits, CLOSED, then the number of
    // workers registered in the call in the low 31 bits.
    private static final long CLOSED = 1L << 31;
    private static final long REGISTERED = CLOSED - 1;

    private final int threads;
    private final ForkJoinPool pool;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong state = new AtomicLong(CLOSED);
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closed;

    // The current call. Written by the caller before the volatile write to state that opens the
    // call, and read by a worker only after its CAS on that state, so they are safely published
    // without being volatile; the caller changes them again only once no worker is registered.
    private IntConsumer body;
    private int tasks;
    private int helpers;
    private Thread caller;

    public ParallelExecutor(int threads) {
        this(threads, DEFAULT_SPINS);
    }

    /**
     * An executor whose idle workers spin `spins` PAUSE iterations before parking. Inference at
     * batch 1 runs a handful of steps of a few microseconds each: a parked worker takes longer to
     * wake (tens of µs under a hypervisor) than a step takes, so a predictor spins longer, at the
     * price of a core busy for that long after a call (ONNX Runtime's intra-op threads spin too).
     */
    /** Most threads an executor runs: far past any core count, far below what would exhaust memory with thread stacks. */
    public static final int MAX_THREADS = 1024;

    public ParallelExecutor(int threads, int spins) {
        if (spins < 0) throw new IllegalArgumentException("spin count must not be negative, got " + spins);
        this.spins = spins;
        if (threads < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        if (threads > MAX_THREADS) throw new IllegalArgumentException("thread count " + threads + " is more than the " + MAX_THREADS + " supported");
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads - 1);
        this.workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(w);
            pool.execute(workers[w]); // each loop holds one pool thread until close()
        }
    }

    /** One thread per available core. */
    public static ParallelExecutor defaultThreads() {
        return new ParallelExecutor(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    @Override
    public int parallelism() {
        return threads;
    }

    /**
     * Runs body(0) .. body(tasks − 1), in parallel when there is more than one thread; returns when
     * all are done.
     *
     * @throws IllegalStateException if this executor is closed
     */
    @Override
    public void forEach(int tasks, IntConsumer body) {
        if (closed) throw new IllegalStateException("this ParallelExecutor is closed");
        if (workers.length == 0 || tasks <= 1 || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        try {
            runInParallel(tasks, body);
        } finally {
            busy.set(false);
        }
    }

    private void runInParallel(int tasks, IntConsumer body) {
        this.body = body;
        this.tasks = tasks;
        this.helpers = Math.min(threads, tasks) - 1;
        this.caller = Thread.currentThread();
        next.setPlain(0);
        // The previous call is closed with nobody registered, so no CAS can race with this write.
        long open = ((state.get() >>> 32) + 1) << 32;
        state.set(open); // publishes the fields above, then wakes whoever reads it
        for (int w = 0; w < helpers; w++) workers[w].wake();
        runTasks();
        long s = state.getAndAdd(CLOSED); // no task left to claim: let no more workers register
        for (int spin = 0; (s & REGISTERED) != 0; s = state.get()) {
            // An interrupt makes park return at once; then this only spins until the workers finish.
            if (spin < spins) {
                spin++;
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        this.body = null;
        this.caller = null;
        Throwable t = failure.getAndSet(null);
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }

    /** Claims and runs tasks until none are left; the first failure skips the tasks not yet claimed. */
    private void runTasks() {
        IntConsumer b = body;
        int n = tasks;
        try {
            for (int i; (i = next.getAndIncrement()) < n; ) b.accept(i);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            next.set(n);
        }
    }

    /**
     * Stops the worker threads; closing again does nothing. A call running meanwhile still runs all
     * its tasks (those no worker took on the calling thread). {@link #SEQUENTIAL} is shared and
     * holds no threads, so closing it does nothing.
     */
    @Override
    public void close() {
        if (this == SEQUENTIAL || closed) return;
        closed = true;
        for (Worker w : workers) w.wake();
        if (pool != null) pool.shutdown();
    }

    /** One pool thread's loop: wait for a call, help with it, until the executor closes. */
    private final class Worker extends RecursiveAction {
        private final int index;
        private volatile Thread thread;
        private volatile boolean parked;

        Worker(int index) {
            this.index = index;
        }

        /** Unparks this worker if it is parked or about to park (see the class comment). */
        void wake() {
            if (parked) LockSupport.unpark(thread);
        }

        @Override
        protected void compute() {
            thread = Thread.currentThread();
            int seen = 0; // generation 0 is never a call
            while (!closed) {
                long s = state.get();
                int generation = (int) (s >>> 32);
                if (generation == seen) {
                    await(seen);
                } else {
                    seen = generation;
                    // Only the workers the caller wakes; a stale read of helpers just skips or joins in vain.
                    if (index < helpers) help(s);
                }
            }
        }

        /** Spins briefly, then parks, until a call after generation {@code seen} opens or the executor closes. */
        private void await(int seen) {
            for (int spin = 0; spin < spins; spin++) {
                if ((int) (state.get() >>> 32) != seen || closed) return;
                Thread.onSpinWait();
            }
            parked = true;
            if ((int) (state.get() >>> 32) == seen && !closed) LockSupport.park(this);
            parked = false;
            // A task may have left this thread interrupted, which would turn every park into a spin.
            Thread.interrupted();
        }

        /** Registers in the call {@code s} opened, if it is still open, runs tasks, deregisters. */
        private void help(long s) {
            long generation = s >>> 32;
            while (true) {
                if ((s & CLOSED) != 0 || s >>> 32 != generation) return;
                if (state.compareAndSet(s, s + 1)) break;
                s = state.get();
            }
            Thread waiting = caller; // read while registered: the call cannot end before we deregister
            runTasks();
            if ((state.decrementAndGet() & (CLOSED | REGISTERED)) == CLOSED) LockSupport.unpark(waiting);
        }
    }
}
