package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.data.Dataset;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.train.CheckpointWriter;
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.Listeners;
import org.panamacnn.train.Trainer;
import org.panamacnn.train.TrainingListener;

/**
 * Checkpointing under faults: a directory that becomes unwritable or full mid-run stops training
 * with a clear error and keeps every completed checkpoint; a JVM killed while saving never leaves
 * a file that does not load.
 */
class CheckpointFaultTest {
    @TempDir
    Path dir;

    /** ~100k parameters: a checkpoint (weights + SGD momentum) of about 800 KB. */
    static Sequential model() {
        Sequential m = new Sequential(Shape.of(1, 1, 1000), ParallelExecutor.SEQUENTIAL,
                List.of(new Flatten(), new Dense(1000, 100), new ReLU(), new Dense(100, 4)));
        m.initialize(1);
        return m;
    }

    private static Dataset data() {
        SplittableRandom r = new SplittableRandom(2);
        float[] x = new float[16 * 1000];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        int[] y = new int[16];
        for (int i = 0; i < y.length; i++) y[i] = i % 4;
        return Dataset.of(x, y, 1, 1, 1000, 4);
    }

    /** Trains 3 epochs checkpointing into ck; after epoch 1 is saved, `fault` runs. Returns the error. */
    private UncheckedIOException trainWithFaultAfterEpoch1(Path ck, Runnable fault) {
        Sequential m = model();
        Sgd sgd = new Sgd(0.01f, 0.9f, 0f, false);
        TrainingListener faultAfter1 = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats s) {
                if (s.epoch() == 1) fault.run();
            }
        };
        Trainer t = new Trainer(m, new SoftmaxCrossEntropy(), sgd, 8, 3);
        return assertThrows(UncheckedIOException.class, () -> t.fit(data(), 3, null,
                new Listeners(List.of(new CheckpointWriter(ck, 1, 3, m, sgd, 3, Map.of()), faultAfter1))));
    }

    /** Restores every checkpoint file in d (each must load) and returns how many there were. */
    private static int allLoad(Path d) throws IOException {
        int n = 0;
        for (Path f : files(d)) {
            if (!f.getFileName().toString().endsWith(".safetensors")) continue;
            Checkpoint.restore(f, new Sgd(0.01f, 0.9f, 0f, false), ParallelExecutor.SEQUENTIAL);
            n++;
        }
        return n;
    }

    @Test
    void aDirectoryThatBecomesUnwritableStopsTrainingAndKeepsTheCheckpointsMade() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path ck = Files.createSymbolicLink(dir.resolve("ck"), real);
        // Root may write anywhere a chmod forbids, but no one can create files in /proc.
        UncheckedIOException e = trainWithFaultAfterEpoch1(ck, () -> {
            try {
                Files.delete(ck);
                Files.createSymbolicLink(ck, Path.of("/proc/self"));
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        });
        assertTrue(e.getMessage().startsWith("cannot write checkpoint " + ck.resolve("epoch-0002.safetensors"))
                && e.getMessage().contains("the last good checkpoint is " + ck.resolve("epoch-0001.safetensors")), e.getMessage());
        assertEquals(List.of(real.resolve("epoch-0001.safetensors")), files(real));
        assertEquals(1, allLoad(real));
    }

    @Test
    void aDiskThatFillsUpStopsTrainingAndLeavesNoPartialFile() throws Exception {
        Path ck = Files.createDirectory(dir.resolve("small-disk"));
        // 1.2 MB holds one ~800 KB checkpoint, not two. Needs mount rights (root in a container).
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", ck.toString())
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(mount.waitFor() == 0, "cannot mount a small tmpfs here: " + new String(mount.getInputStream().readAllBytes()));
        try {
            UncheckedIOException e = trainWithFaultAfterEpoch1(ck, () -> {});
            assertTrue(e.getMessage().contains("epoch-0002") && e.getMessage().contains("No space left"), e.getMessage());
            assertEquals(List.of(ck.resolve("epoch-0001.safetensors")), files(ck));  // the half-written temp file is gone
            assertEquals(1, allLoad(ck));
        } finally {
            new ProcessBuilder("umount", ck.toString()).start().waitFor();
        }
    }

    @Test
    void killingTheJvmWhileItSavesNeverLeavesAFileThatDoesNotLoad() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        SplittableRandom random = new SplittableRandom(11);
        Path ck = Files.createDirectory(dir.resolve("killed"));
        int kills = 0, checked = 0;
        for (int round = 0; round < 12; round++) {
            Process child = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-Xlog:disable", "-cp",
                    System.getProperty("java.class.path"), SaveLoop.class.getName(), ck.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // let it start and save a while, then SIGKILL at a random moment of its save loop
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (files(ck).stream().noneMatch(f -> f.toString().endsWith(".safetensors")) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(10, 200));
            assertTrue(child.isAlive(), "the save loop ended by itself");
            child.destroyForcibly().waitFor();
            kills++;
            checked += allLoad(ck);
        }
        assertEquals(12, kills);
        assertTrue(checked >= 12, "every round leaves at least one complete checkpoint, found " + checked);
    }

    private static List<Path> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }
}
