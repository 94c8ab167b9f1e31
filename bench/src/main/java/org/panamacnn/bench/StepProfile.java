package org.panamacnn.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.panamacnn.cli.report.LayerProfile;
import org.panamacnn.cli.report.LayerProfile.Kind;
import org.panamacnn.cli.report.LayerProfile.Row;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.io.ModelReader;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.KernelProvider;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.TrainingState;

/**
 * Where a training step of a model goes, step by step, in context (each step's forward and
 * backward timed inside real training steps, so caches hold what they hold in training),
 * descending into residual blocks and graphs ({@link StepProfiler}): median microseconds over the
 * steps after a warm-up, each row's share of the step, and the GFLOP/s of convolutions and dense
 * layers. Profiled steps alternate with plain ones (the model's own forward and backward), whose
 * median is printed too. A guide for where to work, not a benchmark result (TrainBench and JMH's
 * TrainingStepBenchmark are that). Same synthetic data, loss and optimizer as TrainBench.
 *
 * <pre>
 * java @jvm.config -cp bench/target/benchmarks.jar org.panamacnn.bench.StepProfile [MODEL] [--shape C,H,W] [--batch 64]
 *      [--threads 2] [--steps 200] [--json FILE]
 * </pre>
 * MODEL is a model definition (models/*.json), a model file (.safetensors, .onnx) or "default"
 * (the default network, also when left out). {@code --json} also writes the profile as the bench
 * report reads it ({@link LayerProfile}).
 */
public final class StepProfile {
    private StepProfile() {}

    public static void main(String[] args) throws IOException {
        boolean named = args.length > 0 && !args[0].startsWith("--");
        String model = named ? args[0] : "default";
        Map<String, String> o = options(Arrays.copyOfRange(args, named ? 1 : 0, args.length));
        LayerProfile p = profile(model, o.containsKey("shape") ? shape(o.get("shape")) : null, integer(o, "batch", 64), integer(o, "threads", 2),
                integer(o, "steps", 200));
        print(p, System.out);
        if (o.containsKey("json")) p.write(Path.of(o.get("json")));
    }

    /** The input a model definition declares ({@code "input": "C,H,W"}), else 1×28×28 (Fashion-MNIST's). */
    static Shape defaultShape(Path definition) throws IOException {
        return ModelDefinition.declaredInput(definition).orElse(Shape.of(1, 28, 28));
    }

    /** Profiles {@code steps} training steps (after as many to warm up) of a model; shape null: the model's or the default. */
    static LayerProfile profile(String model, Shape shape, int batch, int threads, int steps) throws IOException {
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Sequential net = load(model, shape, executor);
            Shape input = net.inputShape();
            TrainingState state = new TrainingState(net, new Sgd(0.01f, 0.9f, 0f, false));
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
            Tensor[] xs = new Tensor[8];
            int[][] ys = new int[8][];
            int classes = net.outputShape().size();
            for (int k = 0; k < 8; k++) {
                xs[k] = BenchData.gaussian(input.withBatch(batch), 5 + k);
                ys[k] = BenchData.labels(batch, classes, 100 + k);
            }
            StepProfiler profiler = new StepProfiler(state.layers(), steps);
            StepProfiler.Timer lossRow = profiler.timer("loss", Kind.LOSS, "softmax cross-entropy: loss and ∂L/∂logits");
            StepProfiler.Timer update = profiler.timer("update", Kind.UPDATE, "SGD with momentum over every parameter");
            long[] total = new long[steps], plain = new long[steps];
            for (int s = -steps; s < steps; s++) {  // the first half warms up
                if (s == -steps / 2) net.initialize(42);  // away from subnormal gradients of a long-fitted batch
                Tensor x = xs[Math.floorMod(s, 8)];
                int[] y = ys[Math.floorMod(s, 8)];
                long t0 = System.nanoTime();
                Tensor out = profiler.forward(x, s);
                long a = System.nanoTime();
                loss.forward(out, y);
                Tensor g = loss.gradient();
                if (s >= 0) lossRow.forward[s] = System.nanoTime() - a;
                profiler.backward(g, s);
                long b = System.nanoTime();
                state.step();
                long t1 = System.nanoTime();
                if (s >= 0) {
                    update.forward[s] = t1 - b;
                    total[s] = t1 - t0;
                }
                // the same step as the model runs it, unprofiled: the profiler's own cost is the difference
                loss.forward(state.forward(x), y);
                state.backward(loss.gradient());
                state.step();
                if (s >= 0) plain[s] = System.nanoTime() - t1;
            }
            String name = model.equals("default") ? "default" : Path.of(model).getFileName().toString();
            return new LayerProfile(name, shapeText(input), batch, threads, steps, KernelProvider.description(), profiler.rows(),
                    StepProfiler.median(total), StepProfiler.median(plain));
        }
    }

    private static Sequential load(String model, Shape shape, ParallelExecutor executor) throws IOException {
        Sequential net;
        if (model.equals("default")) {
            net = Models.defaultCnn(shape != null ? shape : Shape.of(1, 28, 28), 10, executor);
        } else if (model.endsWith(".json")) {
            net = ModelDefinition.load(Path.of(model), shape != null ? shape : defaultShape(Path.of(model)), 10, executor);
        } else {
            net = ModelReader.load(Path.of(model), executor);
            if (shape != null && !shape.equals(net.inputShape())) {
                throw new IllegalArgumentException(model + " takes " + net.inputShape() + ", not --shape " + shape);
            }
        }
        net.initialize(42);
        return net;
    }

    /** The profile as a table: the rows indented by depth, forward and backward µs, share of the step, GFLOP/s. */
    static void print(LayerProfile p, PrintStream out) {
        out.printf(Locale.ROOT, "%s, input %s, batch %d, %d threads, median of %d steps; kernels: %s%n", p.model(), p.shape(), p.batch(),
                p.threads(), p.steps(), p.kernels());
        out.printf(Locale.ROOT, "%-62s %10s %10s %7s %9s %9s%n", "step", "fwd µs", "bwd µs", "share", "fwd GF/s", "bwd GF/s");
        for (Row r : p.rows()) {
            String name = "  ".repeat(r.depth()) + r.path() + " " + r.description();
            if (name.length() > 62) name = name.substring(0, 61) + "…";
            out.printf(Locale.ROOT, "%-62s %10.1f %10.1f %6.1f%% %9s %9s%n", name, r.forwardMicros(), r.backwardMicros(), p.percentOfStep(r),
                    gflops(r.forwardGflops()), gflops(r.backwardGflops()));
        }
        out.printf(Locale.ROOT, "%-62s %10.1f µs%n", "whole step, profiled", p.stepMicros());
        out.printf(Locale.ROOT, "%-62s %10.1f µs%n", "whole step, as the model runs it (alternating)", p.plainStepMicros());
    }

    private static String gflops(double g) {
        return Double.isNaN(g) ? "" : String.format(Locale.ROOT, "%.1f", g);
    }

    static String shapeText(Shape s) {
        StringBuilder b = new StringBuilder();
        for (int d : s.dims()) b.append(b.isEmpty() ? "" : "x").append(d);
        return b.toString();
    }

    private static Shape shape(String text) {
        return Shape.of(Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray());
    }

    private static int integer(Map<String, String> o, String name, int otherwise) {
        String v = o.get(name);
        if (v == null) return otherwise;
        try {
            int n = Integer.parseInt(v);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--" + name + " must be a positive integer, got '" + v + "'");
    }

    /** {@code --name value} pairs. */
    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("expected --name value at '" + args[i] + "'");
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }
}
