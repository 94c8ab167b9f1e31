package org.panamacnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.data.BatchIterator;
import org.panamacnn.data.Dataset;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.data.IdxFile;
import org.panamacnn.data.IdxWriter;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.MaxPool2d;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.Trainer;
import org.panamacnn.train.TrainingListener;

/** Spark training on local[2] against single-machine training, on real images from the bundled sample. */
class SparkTrainerTest {
    private static final Path SAMPLE = Path.of("../data/fashion-mnist-sample");
    private static JavaSparkContext sc;
    private static byte[] pixels;
    private static int[] labels;
    private static Dataset test;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws IOException {
        // local[2, 3]: two worker threads, and a failed task is retried (up to 3 attempts)
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,3]").setAppName("test").set("spark.ui.enabled", "false"));
        sc.setLogLevel("ERROR");
        pixels = IdxFile.read(SAMPLE.resolve(FashionMnist.TRAIN_IMAGES + ".gz")).bytes();
        IdxFile y = IdxFile.read(SAMPLE.resolve(FashionMnist.TRAIN_LABELS + ".gz"));
        labels = new int[y.length()];
        for (int i = 0; i < labels.length; i++) labels[i] = y.unsignedAt(i);
        test = FashionMnist.load(SAMPLE).test();
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static Sequential model() {
        Sequential m = new Sequential(Shape.of(1, 28, 28), ParallelExecutor.SEQUENTIAL,
                List.of(new Conv2d(1, 4, 3, 1, 1), new ReLU(), new MaxPool2d(2, 2), new Flatten(), new Dense(4 * 14 * 14, 10)));
        m.initialize(5);
        return m;
    }

    /** The first n training images written as an uncompressed IDX directory and planned into shards. */
    private static List<Shard> shards(int n, int partitions) {
        try {
            return HadoopData.describe(firstImages(n), partitions, sc.hadoopConfiguration()).shards();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstImages(int n) throws IOException {
        Path d = Files.createDirectories(dir.resolve("first-" + n));
        IdxWriter.write(d.resolve(FashionMnist.TRAIN_IMAGES), new int[] {n, 28, 28}, Arrays.copyOf(pixels, n * 784), false);
        IdxWriter.writeLabels(d.resolve(FashionMnist.TRAIN_LABELS), Arrays.copyOf(labels, n), false);
        return d.toString();
    }

    /** A shard as the executors read it, as a data set. */
    private static Dataset dataset(Shard s) {
        try {
            ShardData d = s.read(sc.hadoopConfiguration());
            return Dataset.fromPixels(d.pixels(), d.labels(), 1, 28, 28, 10);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[][] weights(Sequential m) {
        return m.params().stream().map(p -> p.value().toArray()).toArray(float[][]::new);
    }

    private static SparkTrainer trainer(Sequential m, SparkTrainer.Mode mode, int batch, int partitions, int every) {
        return new SparkTrainer(sc, m, "sgd", 0.05f, 0.9f, false, 0f, mode, batch, partitions, every, 7);
    }

    /**
     * One machine, one step per global batch made of each shard's share in shard order: the
     * batches the synchronous Spark rounds use.
     */
    private static Sequential singleMachine(List<Shard> shards, int globalBatch, int epochs) {
        Sequential m = model();
        int local = globalBatch / shards.size();
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), new Sgd(0.05f, 0.9f, 0f, false), globalBatch, 7);
        List<Dataset> sets = new ArrayList<>();
        List<BatchIterator> orders = new ArrayList<>();
        for (Shard s : shards) {
            sets.add(dataset(s));
            orders.add(BatchIterator.shuffled(sets.getLast(), local, 7 + 1_000_003L * s.index()));
        }
        int steps = (shards.getFirst().size() + local - 1) / local;
        float[] x = new float[globalBatch * 784];
        int[] y = new int[globalBatch];
        for (int e = 0; e < epochs; e++) {
            for (BatchIterator o : orders) o.reset(e);
            for (int s = 0; s < steps; s++) {
                int n = 0;
                for (int p = 0; p < shards.size(); p++) {
                    Dataset d = sets.get(p);
                    for (int j = s * local; j < Math.min((s + 1) * local, d.size()); j++, n++) {
                        int i = orders.get(p).indexAt(j);
                        d.copySample(i, x, n * 784);
                        y[n] = d.label(i);
                    }
                }
                t.step(new Tensor(Shape.of(n, 1, 28, 28), x), Arrays.copyOf(y, n));
            }
        }
        return m;
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3, 6})
    void synchronousRoundsGiveTheSingleMachineModel(int partitions) {
        // 6 partitions: the reduction tree has two levels (fan-in 3)
        List<Shard> shards = shards(600, partitions);
        Sequential spark = model();
        trainer(spark, SparkTrainer.Mode.SYNC, 36, partitions, 1).fit(shards, 0, 2, null, new TrainingListener() {});
        float[][] a = weights(spark), b = weights(singleMachine(shards, 36, 2));
        double worst = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < a[i].length; k++) {
                worst = Math.max(worst, Math.abs(a[i][k] - b[i][k]));
                scale = Math.max(scale, Math.abs(b[i][k]));
            }
        }
        // 34 steps; the two sides add the same per-sample gradients in a different order
        assertTrue(worst <= 2e-6 * scale, "max |spark - single| = " + worst + " of weights up to " + scale);
        assertTrue(worst > 0 || scale > 0);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWithoutChangingTheModel() {
        List<Shard> shards = shards(256, 2);
        Sequential clean = model(), retried = model();
        trainer(clean, SparkTrainer.Mode.SYNC, 32, 2, 1).fit(shards, 0, 1, null, new TrainingListener() {});
        trainer(retried, SparkTrainer.Mode.SYNC, 32, 2, 1).failFirstAttemptOfRound(3).fit(shards, 0, 1, null, new TrainingListener() {});
        float[][] a = weights(clean), b = weights(retried);
        for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], "param " + i);
        Sequential avgClean = model(), avgRetried = model();
        trainer(avgClean, SparkTrainer.Mode.AVERAGE, 16, 2, 4).fit(shards, 0, 1, null, new TrainingListener() {});
        trainer(avgRetried, SparkTrainer.Mode.AVERAGE, 16, 2, 4).failFirstAttemptOfRound(1).fit(shards, 0, 1, null, new TrainingListener() {});
        a = weights(avgClean);
        b = weights(avgRetried);
        for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], "param " + i);
    }

    @Test
    void averagingOnOnePartitionIsExactlyLocalTraining() {
        // one worker: its K local steps are the model, momentum carried across rounds by the driver
        List<Shard> one = shards(300, 1);
        Sequential spark = model();
        trainer(spark, SparkTrainer.Mode.AVERAGE, 20, 1, 4).fit(one, 0, 2, null, new TrainingListener() {});
        float[][] a = weights(spark), b = weights(singleMachine(one, 20, 2));
        for (int i = 0; i < a.length; i++) assertArrayEquals(b[i], a[i], "param " + i);
    }

    @Test
    void averagingOnTwoPartitionsLearns() throws IOException {
        Sequential m = model();
        SparkTrainer t = trainer(m, SparkTrainer.Mode.AVERAGE, 32, 2, 8);
        List<EpochStats> h = t.fit(firstImages(4000), 0, 2, test, new TrainingListener() {});
        // 63 steps per shard: 8 rounds of up to 8 steps
        assertEquals(8, t.lastEpochRounds().rounds());
        assertTrue(t.lastEpochRounds().workerSeconds() > 0 && t.lastEpochRounds().workerSeconds() < t.lastEpochRounds().seconds(),
                t.lastEpochRounds().toString());
        assertEquals(4000, h.getLast().images());
        assertTrue(h.getLast().validationAccuracy() > 0.70, "test accuracy " + h.getLast().validationAccuracy());
        assertTrue(h.getLast().trainLoss() < h.getFirst().trainLoss(), h.toString());
    }

    @Test
    void badSettingsAreRefused() {
        Sequential m = model();
        var e = assertThrows(IllegalArgumentException.class, () -> trainer(m, SparkTrainer.Mode.SYNC, 33, 2, 1));
        assertTrue(e.getMessage().contains("multiple of the partitions"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trainer(m, SparkTrainer.Mode.AVERAGE, 32, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> shards(3, 4));
    }
}
