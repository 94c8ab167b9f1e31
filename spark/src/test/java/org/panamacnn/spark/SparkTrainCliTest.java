package org.panamacnn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.io.NamedTensor;
import org.panamacnn.io.SafeTensors;

/** The command line: train with checkpoints, stop, resume, and get the uninterrupted model; usage errors. */
class SparkTrainCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SparkTrain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static final String[] COMMON = {"--spark", "local[2]", "--data", "../data/fashion-mnist-sample", "--model-def",
            "../models/notes-conv16.json", "--batch", "50", "--average-every", "20", "--partitions", "2", "--seed", "3"};

    private String[] with(String... more) {
        String[] all = new String[COMMON.length + more.length];
        System.arraycopy(COMMON, 0, all, 0, COMMON.length);
        System.arraycopy(more, 0, all, COMMON.length, more.length);
        return all;
    }

    @Test
    void stoppedAndResumedFromACheckpointEndsWithTheUninterruptedModel() throws Exception {
        Path straight = dir.resolve("straight.safetensors"), resumed = dir.resolve("resumed.safetensors"), ck = dir.resolve("ck");
        assertEquals(0, run(with("--epochs", "2", "--out", straight.toString())), err.toString());
        assertTrue(out.toString().contains("epoch 2/2") && out.toString().contains("average mode every 20 steps"), out.toString());
        assertEquals(0, run(with("--epochs", "1", "--checkpoint-dir", ck.toString(), "--out", dir.resolve("one.safetensors").toString())),
                err.toString());
        assertTrue(Files.exists(ck.resolve("epoch-0001.safetensors")));
        assertEquals(0, run(with("--epochs", "2", "--resume", ck.resolve("epoch-0001.safetensors").toString(), "--out", resumed.toString())),
                err.toString());
        Map<String, NamedTensor> a = SafeTensors.read(straight).tensors(), b = SafeTensors.read(resumed).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).data(), b.get(k).data(), k);
    }

    @Test
    void panamaCnnTrainSparkFindsThisModuleAndTrainsWithTheSameOptions() {
        Path model = dir.resolve("via-cli.safetensors");
        String[] args = with("--epochs", "1", "--out", model.toString());
        String[] line = new String[args.length + 1];
        line[0] = "train";
        System.arraycopy(args, 0, line, 1, args.length);
        assertEquals(0, org.panamacnn.cli.Main.run(line, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString());
        assertTrue(out.toString().contains("average mode every 20 steps") && out.toString().contains("epoch 1/1"), out.toString());
        assertTrue(Files.exists(model));
    }

    @Test
    void aFailedSparkJobIsOneLineNamingTheExecutorsError() throws Exception {
        // a label out of range in the training set: found by the executor that reads that shard
        Path data = Files.createDirectories(dir.resolve("bad"));
        org.panamacnn.data.IdxWriter.write(data.resolve("train-images-idx3-ubyte"), new int[] {40, 28, 28}, new byte[40 * 784], false);
        byte[] labels = new byte[40];
        labels[33] = 10;
        org.panamacnn.data.IdxWriter.write(data.resolve("train-labels-idx1-ubyte"), new int[] {40}, labels, false);
        for (String f : new String[] {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.copy(Path.of("../data/fashion-mnist-sample").resolve(f), data.resolve(f));
        }
        assertEquals(1, run("--spark", "local[2]", "--data", data.toString(), "--epochs", "1", "--batch", "4"));
        String message = err.toString().strip();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("panama-cnn: Spark job failed: ") && message.contains("label of image 33 is 10, expected 0..9"), message);
    }

    @Test
    void usageErrorsAreOneLine() {
        assertEquals(2, run("--spark", "local[2]", "--mode", "fast"));
        assertEquals("panama-cnn: --mode must be sync or average, got 'fast'", err.toString().strip());
        err.reset();
        assertEquals(2, run("--epochs", "1"));
        assertTrue(err.toString().contains("--spark MASTER is needed"), err.toString());
        err.reset();
        assertEquals(2, run("--spark", "local[2]", "--average-every", "0"));
        assertTrue(err.toString().contains("--average-every must be"), err.toString());
        err.reset();
        assertEquals(2, run("--spark", "local[2]", "--schedule", "cosine"));
        assertEquals("panama-cnn: unknown option --schedule", err.toString().strip());
        err.reset();
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("spark-submit") && out.toString().contains("--average-every"), out.toString());
    }
}
