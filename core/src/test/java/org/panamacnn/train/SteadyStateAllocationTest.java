package org.panamacnn.train;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.infer.Predictor;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.KernelProvider;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Steady-state allocation of a training step (< 1 KB) and of a prediction (0 B), summed over
 * the JVM's visible threads but the test runner's (so the caller's and the executors'; the JIT's
 * compiler threads, which allocate while C2 is busy, are hidden from that list), for every network in {@code models/}, under whichever kernel family
 * this JVM's flags select. The build runs it once per family (core/pom.xml: 512-bit, the AVX2
 * path, each GEMM tile, the plain-Java fallback), so a kernel that boxes its vectors on one
 * family — as the two-vector select of the 8-lane panel transpose did without AVX-512 — fails
 * the build instead of slowing a user's training five-fold.
 *
 * <p>C2 removes the Vector API's boxes only once it has compiled a kernel, so each case runs
 * windows of steps until one window meets the bound (steady state reached) or a time limit
 * passes (then it fails, naming the smallest window it saw). The build runs it with
 * {@code -XX:CompileThresholdScaling=0.05} so that C2 gets there in seconds. Other threads of the
 * JVM (the test runner's) allocate now and then; the smallest window is the steady state.
 */
class SteadyStateAllocationTest {
    private static final long STEP_BYTES_LIMIT = 1024;
    private static final long WARM_UP_NANOS = 30_000_000_000L;
    /** A long[]'s header (compressed class pointers): what the allocation counter sees of getThreadAllocatedBytes's result. */
    private static final long ARRAY_HEADER = 16;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Every network in models/, then small-mobilenet (depthwise convolutions, ReLU6, hard swish):
     * last, because after the others' profiles its step once kept a kernel boxed on AVX2.
     */
    static Stream<Path> models() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "models"))) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            if (list.isEmpty()) throw new IllegalStateException("no model files in ../models");
            return Stream.concat(list.stream(), Stream.of(Path.of("src", "test", "resources", "small-mobilenet.json")));
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void trainingStepAllocatesUnderAKilobyte(Path file) throws IOException {
        try (ParallelExecutor executor = new ParallelExecutor(2)) {
            Shape input = inputShape(file);
            Sequential model = load(file, input, executor);
            int batch = 8;
            Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.001f, 0.9f, 0f, false), batch, 1);
            Tensor x = gaussian(Shape.of(batch, input.dim(0), input.dim(1), input.dim(2)), 5);
            int[] y = new int[batch];
            for (int i = 0; i < batch; i++) y[i] = i % 10;
            assertSteadyState(file.getFileName() + " training step", STEP_BYTES_LIMIT, 5, () -> {
                trainer.step(x, y);
                return 0;
            });
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void predictionAllocatesNothing(Path file) throws IOException {
        try (ParallelExecutor executor = new ParallelExecutor(1)) {
            Shape input = inputShape(file);
            try (Predictor p = new Predictor(load(file, input, executor), 2)) {
                float[] one = gaussian(Shape.of(1, input.dim(0), input.dim(1), input.dim(2)), 6).data();
                float[] three = gaussian(Shape.of(3, input.dim(0), input.dim(1), input.dim(2)), 7).data();
                float[] out1 = new float[10], out3 = new float[30];
                assertSteadyState(file.getFileName() + " prediction (batch 1 and 3)", 0, 20, () -> {
                    p.probabilities(one, out1);
                    p.probabilities(three, 3, out3);
                    return 0;
                });
            }
        }
    }

    private static Sequential load(Path file, Shape input, ParallelExecutor executor) throws IOException {
        Sequential model = ModelDefinition.load(file, input, 10, executor);
        model.initialize(3);
        return model;
    }

    /** The shape the definition declares, else 28×28 grey. */
    private static Shape inputShape(Path file) throws IOException {
        return ModelDefinition.declaredInput(file).orElse(Shape.of(1, 28, 28));
    }

    private static void assertSteadyState(String what, long limitPerCall, int callsPerWindow, LongSupplier call) {
        long start = System.nanoTime(), best = Long.MAX_VALUE;
        String bestThreads = "";
        int windows = 0;
        // At least three windows even past the warm-up time (a loaded machine runs the scalar path slowly), up to three times it.
        while (System.nanoTime() - start < WARM_UP_NANOS || windows < 3 && System.nanoTime() - start < 3 * WARM_UP_NANOS) {
            Thread[] threads = Thread.getAllStackTraces().keySet().toArray(new Thread[0]);
            long[] ids = new long[threads.length];
            for (int i = 0; i < ids.length; i++) ids[i] = threads[i].threadId();
            long[] before = THREADS.getThreadAllocatedBytes(ids);
            for (int i = 0; i < callsPerWindow; i++) call.getAsLong();
            long[] after = THREADS.getThreadAllocatedBytes(ids);
            long sum = 0;
            StringBuilder byThread = new StringBuilder();
            for (int i = 0; i < ids.length; i++) {
                long bytes = after[i] - before[i];
                // the calling thread's count includes the array the first reading returned
                if (threads[i] == Thread.currentThread()) bytes -= ARRAY_HEADER + 8L * ids.length;
                // the test runner's own threads (its output flusher allocates as the build logs)
                if (threads[i].getName().startsWith("surefire-")) continue;
                if (before[i] < 0 || after[i] < 0 || bytes <= 0) continue;
                sum += bytes;
                byThread.append(byThread.isEmpty() ? "" : ", ").append(threads[i].getName()).append(' ').append(bytes);
            }
            long perCall = sum / callsPerWindow;
            if (perCall < best) {
                best = perCall;
                bestThreads = byThread.toString();
            }
            windows++;
            if (best <= limitPerCall && windows >= 3) return;
        }
        fail(what + " under " + KernelProvider.description() + ": at best " + best + " bytes allocated per call over "
                + windows + " windows of " + callsPerWindow + " calls (limit " + limitPerCall + "); bytes by thread in that window: "
                + bestThreads);
    }

    private static Tensor gaussian(Shape shape, long seed) {
        Tensor t = new Tensor(shape);
        Random r = new Random(seed);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
        return t;
    }
}
