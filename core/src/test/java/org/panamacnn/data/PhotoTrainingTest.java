package org.panamacnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.Trainer;
import org.panamacnn.train.TrainingListener;

/** The trainer on photos decoded as it goes: same results for the same seed, and a heap smaller than the decoded data set. */
class PhotoTrainingTest {
    private static final int SIDE = 64, PER_CLASS = 1500, BATCH = 8;

    @TempDir
    Path dir;

    private static List<EpochStats> train(Path data, int size, int epochs, int decoders) throws IOException {
        PhotoFolder.Split split = PhotoFolder.open(data, new ImageFolder.Options(size, size, 3, 0.2, 1), null, decoders, 3);
        // a small network: the test is about the data, not the arithmetic
        Sequential model = new Sequential(Shape.of(3, size, size), ParallelExecutor.SEQUENTIAL, List.of(new MaxPool2d(4),
                new Conv2d(8, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Dense(2)));
        model.initialize(5);
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.01f, 0.9f, 0, false), BATCH, 9);
        return trainer.fit(split.train(), epochs, split.test(), new TrainingListener() {});
    }

    @Test
    void trainingOnPhotosIsRepeatableWhateverTheDecoderCount() throws IOException {
        Photos.folder(dir, 20, 70, 50);
        List<EpochStats> a = train(dir, 32, 2, 1), b = train(dir, 32, 2, 3);
        for (int e = 0; e < 2; e++) {
            assertEquals(a.get(e).trainLoss(), b.get(e).trainLoss(), 0.0);
            assertEquals(a.get(e).validationLoss(), b.get(e).validationLoss(), 0.0);
            assertEquals(32, a.get(e).images());
            assertTrue(Double.isFinite(a.get(e).trainLoss()));
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("photo-decoder-"))
                .allMatch(t -> !t.isAlive() || t.getState() == Thread.State.TERMINATED || waitEnds(t)), "decoder threads left running");
    }

    private static boolean waitEnds(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    /**
     * An epoch over 3,000 photos at 64×64 in a JVM of 128 MiB heap: decoded in memory they would be
     * 3,000 × 3 × 64 × 64 floats (147 MB) plus their bytes.
     */
    @Test
    void anEpochOfMorePhotosThanTheHeapHoldsDecoded() throws Exception {
        assertTrue(2L * PER_CLASS * 3 * SIDE * SIDE * Float.BYTES > 128L << 20);
        Path one = Photos.jpeg(dir.resolve("one.jpg"), 200, 150, 4), data = dir.resolve("data");
        for (String part : new String[] {"train", "test"}) {
            for (String c : new String[] {"a", "b"}) {
                Path folder = Files.createDirectories(data.resolve(part).resolve(c));
                for (int i = 0; i < (part.equals("train") ? PER_CLASS : 4); i++) Files.createLink(folder.resolve(i + ".jpg"), one);
            }
        }
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-Xlog:disable", "-Xmx128m", "-cp",
                System.getProperty("java.class.path"), SmallHeapRun.class.getName(), data.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertEquals(0, child.waitFor(), output);
        assertTrue(output.contains("trained on " + 2 * PER_CLASS + " photos"), output);
    }

    /** The child: one epoch over the folder in its argument. */
    public static final class SmallHeapRun {
        public static void main(String[] args) throws IOException {
            EpochStats s = train(Path.of(args[0]), SIDE, 1, 2).getFirst();
            System.out.println("trained on " + s.images() + " photos, loss " + s.trainLoss() + ", heap max "
                    + Runtime.getRuntime().maxMemory());
        }
    }
}
