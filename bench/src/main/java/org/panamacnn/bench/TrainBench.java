package org.panamacnn.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.panamacnn.io.ModelFile;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.KernelProvider;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.Trainer;

/**
 * Steady-state training throughput of a model definition, measured the way the PyTorch
 * reference's {@code torch_model_bench.py} measures the same architecture, so that the two are
 * timed alike as whole programs in alternating runs: 8 batches of N(0,1) pixels with random
 * labels, softmax cross-entropy, SGD lr 0.01 momentum 0.9; warm up for a time and a step count,
 * then time single steps and print the median as one {@code RESULT engine=panama-cnn ...} line.
 *
 * <pre>
 * java @jvm.config -cp bench/target/benchmarks.jar org.panamacnn.bench.TrainBench models/small-resnet.json
 *      [--shape 1,28,28] [--batch 64] [--threads 2] [--warmup-s 6] [--measure-s 6] [--save MODEL.safetensors]
 * </pre>
 * {@code --save} writes the freshly initialised model, whose metadata the PyTorch script reads to
 * build the same architecture ({@code torch.sh model MODEL.safetensors}).
 */
public final class TrainBench {
    private TrainBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) throw new IllegalArgumentException("usage: TrainBench MODEL.json [--shape C,H,W] [--batch B] [--threads T] [--warmup-s S] [--measure-s S] [--save FILE]");
        Path def = Path.of(args[0]);
        Map<String, String> o = Options.parse(Arrays.copyOfRange(args, 1, args.length));
        int[] chw = Arrays.stream(o.getOrDefault("shape", defaultShape(def)).split(",")).mapToInt(Integer::parseInt).toArray();
        int batch = Integer.parseInt(o.getOrDefault("batch", "64"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        double warmupS = Double.parseDouble(o.getOrDefault("warmup-s", "6"));
        double measureS = Double.parseDouble(o.getOrDefault("measure-s", "6"));
        Shape input = Shape.of(chw);
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Sequential model = ModelDefinition.load(def, input, 10, executor);
            model.initialize(1);
            if (o.containsKey("save")) {
                ModelFile.save(Path.of(o.get("save")), model, Map.of());
                return;
            }
            Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.01f, 0.9f, 0f, false), batch, 1);
            Tensor[] xs = new Tensor[8];
            int[][] ys = new int[8][];
            for (int k = 0; k < 8; k++) {
                xs[k] = BenchData.gaussian(Shape.of(batch, chw[0], chw[1], chw[2]), 5 + k);
                ys[k] = BenchData.labels(batch, 10, 100 + k);
            }
            long t0 = System.nanoTime();
            int w = 0;
            while (w < 10 || System.nanoTime() - t0 < warmupS * 1e9) {
                trainer.step(xs[w % 8], ys[w % 8]);
                w++;
            }
            double[] times = new double[100_000];
            int s = 0;
            long m0 = System.nanoTime();
            while (s < 15 || (System.nanoTime() - m0 < measureS * 1e9 && s < times.length)) {
                long b = System.nanoTime();
                trainer.step(xs[s % 8], ys[s % 8]);
                times[s++] = (System.nanoTime() - b) / 1e9;
            }
            double total = (System.nanoTime() - m0) / 1e9;
            double[] t = Arrays.copyOf(times, s);
            Arrays.sort(t);
            double median = t[s / 2];
            System.out.printf("RESULT engine=panama-cnn model=%s kernels=\"%s\" shape=%dx%dx%d batch=%d threads=%d warmup_steps=%d steps=%d "
                            + "median_ms=%.2f min_ms=%.2f max_ms=%.2f img_s=%.1f img_s_mean=%.1f%n",
                    def.getFileName(), KernelProvider.description(), chw[0], chw[1], chw[2], batch, threads, w, s,
                    median * 1e3, t[0] * 1e3, t[s - 1] * 1e3, batch / median, batch * s / total);
        }
    }

    /** The definition's declared input as "C,H,W" (see {@link StepProfile#defaultShape}). */
    static String defaultShape(Path def) throws java.io.IOException {
        Shape s = StepProfile.defaultShape(def);
        return s.dim(0) + "," + s.dim(1) + "," + s.dim(2);
    }

    /** {@code --name value} pairs. */
    static final class Options {
        static Map<String, String> parse(String[] args) {
            Map<String, String> o = new java.util.HashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("expected --name value at '" + args[i] + "'");
                o.put(args[i].substring(2), args[i + 1]);
            }
            return o;
        }
    }
}
