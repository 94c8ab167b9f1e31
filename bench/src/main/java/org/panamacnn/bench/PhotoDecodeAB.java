package org.panamacnn.bench;

import java.nio.file.Path;
import java.util.Arrays;
import org.panamacnn.data.BatchSource;
import org.panamacnn.data.ImageFolder;
import org.panamacnn.data.PhotoFolder;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.Trainer;

/**
 * Does photo decoding keep up with training? Alternates, in one JVM, (A) decoding photos of an
 * image folder at 224×224 (random resized crops, as training reads them) by a {@link PhotoFolder}
 * with D decoder threads, and (B) training steps of a model at batch 32 on T threads, and prints
 * the medians in images/s and their ratio. Each side runs alone (on a loaded machine, as measured):
 * when both share the same cores during training, each gets part of them.
 *
 * <p>Usage: PhotoDecodeAB MODEL.json PHOTO_FOLDER [--decoders D] [--threads T] [--rounds R]
 */
public final class PhotoDecodeAB {
    private PhotoDecodeAB() {}

    public static void main(String[] args) throws Exception {
        var o = TrainBench.Options.parse(Arrays.copyOfRange(args, 2, args.length));
        int decoders = Integer.parseInt(o.getOrDefault("decoders", "2")), threads = Integer.parseInt(o.getOrDefault("threads", "2"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "5")), batch = 32, steps = 3;
        PhotoFolder photos = PhotoFolder.open(Path.of(args[1]), new ImageFolder.Options(224, 224, 3, 0.01, 1), null, decoders, 3).train();
        int batchesPerRound = Math.min(4, photos.size() / batch);
        float[] images = new float[batch * 3 * 224 * 224];
        int[] labels = new int[batch];
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Sequential model = ModelDefinition.load(Path.of(args[0]), Shape.of(3, 224, 224), 10, executor);
            model.initialize(1);
            Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.01f, 0.9f, 0f, false), batch, 1);
            Tensor x = BenchData.gaussian(Shape.of(batch, 3, 224, 224), 5);
            int[] y = BenchData.labels(batch, 10, 100);
            trainer.step(x, y);  // warm-up of both
            decode(photos, 0, batch, 1, images, labels);
            double[] decodeRate = new double[rounds], trainRate = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                int n = decode(photos, r + 1, batch, batchesPerRound, images, labels);
                decodeRate[r] = n / ((System.nanoTime() - t0) / 1e9);
                long t1 = System.nanoTime();
                for (int s = 0; s < steps; s++) trainer.step(x, y);
                trainRate[r] = steps * batch / ((System.nanoTime() - t1) / 1e9);
                System.out.printf("round %d: decoding %.1f images/s, training %.1f images/s%n", r + 1, decodeRate[r], trainRate[r]);
            }
            double d = median(decodeRate), t = median(trainRate);
            System.out.printf("median: decoding %.1f images/s (%d decoders), training %.1f images/s (%.2f steps/s, %d threads); "
                    + "decoding / training = %.2f%n", d, decoders, t, t / batch, threads, d / t);
        }
    }

    /** Drains `count` batches of a fresh epoch (its decoders start at once, as the trainer's do); returns the images. */
    private static int decode(BatchSource photos, int epoch, int batch, int count, float[] images, int[] labels) {
        int n = 0;
        try (BatchSource.Batches b = photos.batches(epoch, batch, true, 1)) {
            for (int k = 0; k < count; k++) n += b.next(images, labels);
        }
        return n;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
