package org.panamacnn.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The executor's contract: every task index exactly once per call, results visible on return, the
 * first exception reaching the caller only after every running task has ended, nested and
 * concurrent calls, close(), and no allocation per call. Every test runs in its own thread under a
 * timeout, so a lost wake-up fails the test instead of hanging the build.
 */
class ParallelExecutorTest {
    private static final int[] TASK_COUNTS = {0, 1, 2, 3, 17};
    private static final int MAX_TASKS = 17;

    @Test
    @Timeout(value = 5, threadMode = SEPARATE_THREAD)
    void threadCountIsCheckedAndReported() {
        assertThrows(IllegalArgumentException.class, () -> new ParallelExecutor(0));
        assertEquals(1, ParallelExecutor.SEQUENTIAL.threads());
        try (ParallelExecutor executor = new ParallelExecutor(3)) {
            assertEquals(3, executor.threads());
        }
        try (ParallelExecutor executor = ParallelExecutor.defaultThreads()) {
            assertEquals(Runtime.getRuntime().availableProcessors(), executor.threads());
        }
    }

    /** Tasks write plain ints; the caller checks them straight after each call, with no other synchronisation. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8})
    @Timeout(value = 10, threadMode = SEPARATE_THREAD)
    void everyIndexRunsExactlyOnceAndItsWritesAreVisibleOnReturn(int threads) {
        int calls = threads <= 2 ? 100_000 : 30_000;
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            checkCalls(executor, calls);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 8})
    @Timeout(value = 10, threadMode = SEPARATE_THREAD)
    void everyThreadTakesPart(int threads) throws InterruptedException {
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            for (int round = 0; round < 3; round++) {
                // Each task waits for all the others to start, so the call can only end if `threads`
                // threads run its tasks at once: the caller and every worker.
                CountDownLatch allStarted = new CountDownLatch(threads);
                Set<Thread> seen = ConcurrentHashMap.newKeySet();
                AtomicInteger timedOut = new AtomicInteger();
                executor.forEach(threads, i -> {
                    seen.add(Thread.currentThread());
                    allStarted.countDown();
                    try {
                        if (!allStarted.await(3, TimeUnit.SECONDS)) timedOut.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertEquals(0, timedOut.get(), "tasks waited in vain for each other, round " + round);
                assertEquals(threads, seen.size());
                Thread.sleep(20); // long enough for the workers to stop spinning and park
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8})
    @Timeout(value = 10, threadMode = SEPARATE_THREAD)
    void anExceptionReachesTheCallerOnlyAfterEveryRunningTaskHasEnded(int threads) {
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            AtomicInteger running = new AtomicInteger();
            for (int round = 0; round < 50; round++) {
                IllegalArgumentException boom = new IllegalArgumentException("task 5");
                IntConsumer body = i -> {
                    running.incrementAndGet();
                    try {
                        if (i == 5) throw boom;
                        spinMicros(100);
                    } finally {
                        running.decrementAndGet();
                    }
                };
                assertSame(boom, assertThrows(IllegalArgumentException.class, () -> executor.forEach(17, body)));
                assertEquals(0, running.get(), "a task was still running when forEach threw, round " + round);
            }
            checkCalls(executor, 2_000); // still usable, nothing left over from the failed calls
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8})
    @Timeout(value = 10, threadMode = SEPARATE_THREAD)
    void whenEveryTaskFailsOneOfTheirExceptionsIsThrownAsItIs(int threads) {
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Error[] errors = new Error[17];
            for (int i = 0; i < errors.length; i++) errors[i] = new AssertionError("task " + i);
            for (int round = 0; round < 200; round++) {
                Error thrown = assertThrows(AssertionError.class, () -> executor.forEach(17, i -> {
                    throw errors[i];
                }));
                assertTrue(Set.of(errors).contains(thrown), thrown.toString());
            }
            checkCalls(executor, 2_000);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    @Timeout(value = 10, threadMode = SEPARATE_THREAD)
    void aNestedCallRunsItsTasksOnTheThreadThatMakesIt(int threads) {
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            for (int round = 0; round < 200; round++) {
                AtomicInteger[] hits = new AtomicInteger[4 * 5];
                for (int i = 0; i < hits.length; i++) hits[i] = new AtomicInteger();
                AtomicInteger strays = new AtomicInteger();
                executor.forEach(4, outer -> {
                    Thread outerThread = Thread.currentThread();
                    executor.forEach(5, inner -> {
                        if (Thread.currentThread() != outerThread) strays.incrementAndGet();
                        hits[outer * 5 + inner].incrementAndGet();
                    });
                });
                assertEquals(0, strays.get(), "inner tasks ran on another thread");
                for (int i = 0; i < hits.length; i++) assertEquals(1, hits[i].get(), "task " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 8})
    @Timeout(value = 10, threadMode = SEPARATE_THREAD)
    void twoThreadsCanCallAtTheSameTime(int threads) throws InterruptedException {
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            AtomicReference<Throwable> otherFailure = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    checkCalls(executor, 20_000);
                } catch (Throwable t) {
                    otherFailure.set(t);
                }
            });
            other.start();
            checkCalls(executor, 20_000);
            other.join();
            if (otherFailure.get() != null) fail("the other caller failed", otherFailure.get());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8})
    @Timeout(value = 10, threadMode = SEPARATE_THREAD)
    void closeStopsTheWorkersAndLaterCallsFail(int threads) throws InterruptedException {
        ParallelExecutor executor = new ParallelExecutor(threads);
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        Thread caller = Thread.currentThread();
        CountDownLatch allStarted = new CountDownLatch(threads);
        executor.forEach(threads, i -> {
            if (Thread.currentThread() != caller) workers.add(Thread.currentThread());
            allStarted.countDown();
            try {
                allStarted.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(threads - 1, workers.size());
        Thread.sleep(20); // idle: the workers have parked
        executor.close();
        executor.close(); // idempotent
        for (Thread t : workers) {
            t.join(5_000);
            assertFalse(t.isAlive(), t + " still runs after close()");
        }
        for (int tasks : TASK_COUNTS) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> executor.forEach(tasks, i -> {}));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    @Timeout(value = 5, threadMode = SEPARATE_THREAD)
    void closingTheSharedSequentialExecutorLeavesItUsable() {
        ParallelExecutor.SEQUENTIAL.close();
        checkCalls(ParallelExecutor.SEQUENTIAL, 100);
    }

    /** In steady state a call allocates nothing on the calling thread (a new helper task per call would show here). */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8})
    @Timeout(value = 10, threadMode = SEPARATE_THREAD)
    void aCallAllocatesNothing(int threads) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int[] sink = new int[MAX_TASKS];
        IntConsumer body = i -> sink[i]++;
        int calls = 10_000;
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            for (int i = 0; i < 20_000; i++) executor.forEach(i % 2 == 0 ? 2 : MAX_TASKS, body); // warm-up
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) executor.forEach(i % 2 == 0 ? 2 : MAX_TASKS, body);
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            System.out.printf("ParallelExecutor(%d): %.3f bytes allocated per forEach%n", threads, (double) allocated / calls);
            assertTrue(allocated < calls, allocated + " bytes over " + calls + " calls");
        }
    }

    /**
     * {@code calls} consecutive calls cycling through {@link #TASK_COUNTS}; after each, checks on the
     * calling thread that each index ran exactly once, reading the counters the tasks wrote plainly.
     */
    private static void checkCalls(ParallelExecutor executor, int calls) {
        int[] hits = new int[MAX_TASKS];
        int[] expected = new int[MAX_TASKS];
        IntConsumer body = i -> {
            hits[i]++;
            // A little work per task, so that workers claim tasks in a good share of the calls.
            for (int k = 0; k < 4; k++) Thread.onSpinWait();
        };
        for (int c = 0; c < calls; c++) {
            int tasks = TASK_COUNTS[c % TASK_COUNTS.length];
            executor.forEach(tasks, body);
            for (int i = 0; i < tasks; i++) expected[i]++;
            for (int i = 0; i < MAX_TASKS; i++) {
                if (hits[i] != expected[i]) {
                    fail("after call " + c + " with " + tasks + " tasks: task " + i + " ran " + hits[i] + " times in all, not "
                            + expected[i]);
                }
            }
        }
    }

    private static void spinMicros(long micros) {
        long end = System.nanoTime() + micros * 1_000;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }
}
