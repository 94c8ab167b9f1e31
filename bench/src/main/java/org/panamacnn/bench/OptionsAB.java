package org.panamacnn.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.BuildContext;
import org.panamacnn.nn.EngineOptions;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.Weights;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.KernelProvider;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.Trainer;

/**
 * One engine option off against on, in one JVM: the same model built twice (same weights), the two
 * trainers taking turns, a few steps each per round, the order swapped every round, so both see
 * the same JIT state and the same noise from a shared host. Prints each round's ratio of median
 * step times (off / on: above 1 means the option is faster) and their median.
 * Usage: OptionsAB MODEL.json OPTION [--shape C,H,W] [--batch 64] [--threads 2] [--rounds 12]
 * [--steps 6] [--warmup 20], OPTION one of imageColumns, poolInConvolution, gemmWeightGradient.
 */
public final class OptionsAB {
    private OptionsAB() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) throw new IllegalArgumentException("usage: OptionsAB MODEL.json OPTION [--batch B] [--threads T] [--rounds R] [--steps S]");
        Path def = Path.of(args[0]);
        String option = args[1];
        with(EngineOptions.defaults(), option, true); // rejects an unknown name before any work
        java.util.Map<String, String> o = TrainBench.Options.parse(Arrays.copyOfRange(args, 2, args.length));
        int[] chw = Arrays.stream(o.getOrDefault("shape", TrainBench.defaultShape(def)).split(",")).mapToInt(Integer::parseInt).toArray();
        int batch = Integer.parseInt(o.getOrDefault("batch", "64")), threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "12")), steps = Integer.parseInt(o.getOrDefault("steps", "6"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "20"));
        Shape input = Shape.of(chw);
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Sequential loaded = ModelDefinition.load(def, input, 10, executor);
            loaded.initialize(1);
            EngineOptions base = EngineOptions.defaults();
            Trainer off = trainer(loaded, with(base, option, false), executor, batch);
            Trainer on = trainer(loaded, with(base, option, true), executor, batch);
            Tensor[] xs = new Tensor[4];
            int[][] ys = new int[4][];
            for (int k = 0; k < 4; k++) {
                xs[k] = BenchData.gaussian(Shape.of(batch, chw[0], chw[1], chw[2]), 5 + k);
                ys[k] = BenchData.labels(batch, 10, 100 + k);
            }
            for (int i = 0; i < warmup; i++) {
                off.step(xs[i % 4], ys[i % 4]);
                on.step(xs[i % 4], ys[i % 4]);
            }
            double[] ratios = new double[rounds];
            double[] offMs = new double[rounds], onMs = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                boolean offFirst = r % 2 == 0;
                double a = medianStep(offFirst ? off : on, steps, xs, ys), b = medianStep(offFirst ? on : off, steps, xs, ys);
                offMs[r] = offFirst ? a : b;
                onMs[r] = offFirst ? b : a;
                ratios[r] = offMs[r] / onMs[r];
                System.out.printf(Locale.ROOT, "round %2d: %s=false %.2f ms, %s=true %.2f ms, ratio %.3f%n", r, option, offMs[r], option, onMs[r], ratios[r]);
            }
            System.out.printf(Locale.ROOT, "RESULT model=%s option=%s kernels=\"%s\" batch=%d threads=%d rounds=%d off_ms=%.2f on_ms=%.2f off_over_on=%.3f range=%.3f-%.3f%n",
                    def.getFileName(), option, KernelProvider.description(), batch, threads, rounds, median(offMs), median(onMs), median(ratios),
                    Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0));
        }
    }

    private static EngineOptions with(EngineOptions base, String name, boolean on) {
        return switch (name) {
            case "imageColumns" -> base.withImageColumns(on);
            case "imageTaps" -> base.withImageTaps(on);
            case "poolInConvolution" -> base.withPoolInConvolution(on);
            case "gemmWeightGradient" -> base.withGemmWeightGradient(on);
            default -> throw new IllegalArgumentException("unknown option '" + name + "': imageColumns, imageTaps, poolInConvolution or gemmWeightGradient");
        };
    }

    /** A trainer of a copy of the model's layers built with these options over a copy of its weights. */
    private static Trainer trainer(Sequential model, EngineOptions options, ParallelExecutor executor, int batch) {
        List<Layer> layers = model.layers().stream().map(Layer::copy).toList();
        Weights weights = Weights.create();
        Sequential copy = new Sequential(model.inputShape(), layers, new BuildContext(executor, weights, options));
        copy.initialize(1);
        return new Trainer(copy, new SoftmaxCrossEntropy(), new Sgd(0.01f, 0.9f, 0f, false), batch, 1);
    }

    private static double medianStep(Trainer t, int steps, Tensor[] xs, int[][] ys) {
        double[] ms = new double[steps];
        for (int s = 0; s < steps; s++) {
            long b = System.nanoTime();
            t.step(xs[s % xs.length], ys[s % ys.length]);
            ms[s] = (System.nanoTime() - b) / 1e6;
        }
        return median(ms);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
