package org.panamacnn.bench;

import java.nio.file.Path;
import java.util.Arrays;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.Freeze;
import org.panamacnn.train.Trainer;

/**
 * Whether freezing makes a fine-tuning step faster: the training step of models/small-resnet.json
 * (1×28×28, batch 64) with its stem and first two stages frozen against nothing frozen, both in
 * one JVM, alternating rounds of steps so that machine load hits both alike; prints the median
 * step time of each per round and over all rounds. Usage, from the repository's root:
 * <pre>
 * java @jvm.config -cp bench/target/benchmarks.jar org.panamacnn.bench.FineTuneStepAB [threads] [rounds] [steps per round]
 * </pre>
 */
public final class FineTuneStepAB {
    /** small-resnet's stem (conv 0, norm 1) and the blocks of its first two stages (3, 5 and 7, 9). */
    static final Freeze FIRST_TWO_STAGES = Freeze.prefixes("0.", "1.", "3.", "5.", "7.", "9.");

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8, steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Shape input = Shape.of(1, 28, 28);
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Trainer frozen = trainer(input, executor, FIRST_TWO_STAGES), full = trainer(input, executor, Freeze.none());
            Tensor x = BenchData.gaussian(input.withBatch(64), 5);
            int[] y = BenchData.labels(64, 10, 7);
            for (int i = 0; i < 3 * steps; i++) { // warm-up: C2 compiles both variants' paths
                frozen.step(x, y);
                full.step(x, y);
            }
            double[] a = new double[rounds * steps], b = new double[rounds * steps];
            System.out.printf("small-resnet step, batch 64, %d threads: median ms per round (frozen first two stages / nothing frozen)%n", threads);
            for (int r = 0; r < rounds; r++) {
                boolean frozenFirst = r % 2 == 0; // alternate which goes first
                double[] ra = time(frozenFirst ? frozen : full, x, y, steps), rb = time(frozenFirst ? full : frozen, x, y, steps);
                double[] fr = frozenFirst ? ra : rb, fu = frozenFirst ? rb : ra;
                System.arraycopy(fr, 0, a, r * steps, steps);
                System.arraycopy(fu, 0, b, r * steps, steps);
                System.out.printf("round %d: %.2f / %.2f%n", r + 1, median(fr), median(fu));
            }
            System.out.printf("all rounds: frozen %.2f ms, nothing frozen %.2f ms, ratio %.2f%n", median(a), median(b), median(b) / median(a));
        }
    }

    private static Trainer trainer(Shape input, ParallelExecutor executor, Freeze freeze) throws Exception {
        Sequential model = ModelDefinition.load(Path.of("models/small-resnet.json"), input, 10, executor);
        model.initialize(42);
        return new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.01f, 0.9f, 0f, false), 64, 1, freeze);
    }

    private static double[] time(Trainer t, Tensor x, int[] y, int steps) {
        double[] ms = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            t.step(x, y);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
