package org.panamacnn.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.Trainer;
import org.panamacnn.train.TrainingListener;

/**
 * A long run: trains the default CNN for many epochs and prints, after each, the images/s and the
 * heap in use after a full GC — both must stay flat (no leak, no slowdown from subnormal floats
 * or growing state). Ends with the first-5 and last-5 epoch medians.
 *
 * <pre>scripts/jmh soak [EPOCHS (50)] [DATA_DIR (the bundled sample)] [THREADS (cores)]</pre>
 */
public final class Soak {
    private Soak() {}

    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path data = Path.of(args.length > 1 ? args[1] : "data/fashion-mnist-sample");
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        double[] speed = new double[epochs], heapMb = new double[epochs];
        FashionMnist fm = FashionMnist.load(data);
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, executor);
            model.initialize(42);
            Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.01f, 0.9f, 0f, false), 64, 42);
            System.out.printf("soak: %d epochs of %,d images, %d threads%n", epochs, fm.train().size(), threads);
            trainer.fit(fm.train(), epochs, null, new TrainingListener() {
                @Override
                public void onEpochEnd(EpochStats s) {
                    System.gc();
                    int e = s.epoch() - 1;
                    speed[e] = s.imagesPerSecond();
                    heapMb[e] = memory.getHeapMemoryUsage().getUsed() / 1048576.0;
                    System.out.printf("epoch %3d  loss %.4f  %,8.0f images/s  heap after GC %6.1f MB%n",
                            s.epoch(), s.trainLoss(), speed[e], heapMb[e]);
                }
            });
        }
        int k = Math.min(5, epochs);
        System.out.printf("first %d epochs: median %,.0f images/s, heap %.1f MB; last %d: median %,.0f images/s, heap %.1f MB%n",
                k, median(speed, 0, k), median(heapMb, 0, k), k, median(speed, epochs - k, epochs), median(heapMb, epochs - k, epochs));
    }

    private static double median(double[] a, int from, int to) {
        double[] s = Arrays.copyOfRange(a, from, to);
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
