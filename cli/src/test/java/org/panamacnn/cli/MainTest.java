package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.data.IdxFile;
import org.panamacnn.data.IdxWriter;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("train"), out());
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err().contains("usage"), err());
    }

    @Test
    void unknownCommandIsOneClearLine() {
        assertEquals(2, run("fly"));
        assertEquals("panama-cnn: unknown command 'fly' (try 'panama-cnn help')", err().strip());
    }

    @Test
    void trainHelpDescribesTheOptions() {
        assertEquals(0, run("train", "--help"));
        assertTrue(out().contains("--epochs") && out().contains("--data"), out());
    }

    @Test
    void badOptionValuesAreRejected() {
        assertEquals(2, run("train", "--epochs", "zero"));
        assertEquals("panama-cnn: --epochs must be a positive whole number, got 'zero'", err().strip());
    }

    @Test
    void unknownOptionIsRejected() {
        assertEquals(2, run("train", "--epoch", "3"));
        assertEquals("panama-cnn: unknown option --epoch (did you mean --epochs?)", err().strip());
    }

    @Test
    void missingDataDirectoryIsReported() {
        assertEquals(1, run("train", "--data", "/nonexistent/fashion"));
        assertTrue(err().contains("/nonexistent/fashion"), err());
    }

    @Test
    void trainsAModelFromADefinitionFileAndEvaluatesIt(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("bn.safetensors");
        System.setProperty("panamacnn.home", "..");
        try {
            assertEquals(0, run("train", "--model-def", "../models/small-bn-cnn.json", "--epochs", "1", "--batch", "100",
                    "--out", model.toString()), err());
            assertTrue(out().contains("BatchNorm2d(32)") && out().contains("GlobalAvgPool2d"), out());
            Matcher m = Pattern.compile("test acc +([\\d.]+)%").matcher(out());
            assertTrue(m.find(), out());
            assertTrue(Double.parseDouble(m.group(1)) > 30, "one epoch on 10,000 images learns something: " + out());
            String trainedAccuracy = m.group(1);
            out.reset();
            assertEquals(0, run("eval", "--model", model.toString()), err()); // inference folds the batch norms
            assertTrue(out().contains("accuracy " + trainedAccuracy + "% ("), out());
            // a graph: branches, concat, add; eval plans it for inference and gets the same accuracy
            Path graph = dir.resolve("inception.safetensors");
            out.reset();
            assertEquals(0, run("train", "--model-def", "../models/small-inception.json", "--epochs", "1", "--batch", "100",
                    "--out", graph.toString()), err());
            assertTrue(out().contains("a_cat(a1_relu, a3_relu, a5_relu): Concat") && out().contains("a_sum(a_cat, a_proj): Add"), out());
            m = Pattern.compile("test acc +([\\d.]+)%").matcher(out());
            assertTrue(m.find(), out());
            assertTrue(Double.parseDouble(m.group(1)) > 30, "one epoch on 10,000 images learns something: " + out());
            String graphAccuracy = m.group(1);
            out.reset();
            assertEquals(0, run("eval", "--model", graph.toString()), err());
            assertTrue(out().contains("accuracy " + graphAccuracy + "% ("), out());
            Path bad = dir.resolve("bad.json");
            java.nio.file.Files.writeString(bad, "{\"layers\": [\"conv2d out=8 kernel=3\", \"dense out=classes\"]}");
            assertEquals(1, run("train", "--model-def", bad.toString(), "--epochs", "1"));
            assertTrue(err().contains("bad.json") && err().contains("layer 1"), err());
        } finally {
            System.clearProperty("panamacnn.home");
        }
    }

    @Test
    void trainsOnTheBundledSampleThenEvaluatesAndPredictsWithTheSavedModel(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model.safetensors");
        System.setProperty("panamacnn.home", "..");
        try {
            assertEquals(0, run("train", "--epochs", "1", "--batch", "100", "--threads", "2", "--out", model.toString()), err());
            String text = out();
            assertTrue(text.contains("10,000 training, 2,000 test images"), text);
            assertTrue(text.matches("(?s).*epoch 1/1  loss \\d\\.\\d{4}  train acc .*test acc .*images/s.*"), text);
            Matcher m = Pattern.compile("test acc +([\\d.]+)%").matcher(text);
            assertTrue(m.find(), text);
            String trainedAccuracy = m.group(1);

            out.reset();
            assertEquals(0, run("eval", "--model", model.toString()), err());
            assertTrue(out().contains("accuracy " + trainedAccuracy + "% (") && out().contains("Ankle boot"), out());
        } finally {
            System.clearProperty("panamacnn.home");
        }

        // A test image as PNG (the first test image of the sample).
        BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        IdxFile idx = IdxFile.read(Path.of("..", "data", "fashion-mnist-sample", "t10k-images-idx3-ubyte.gz"));
        for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) png.getRaster().setSample(x, y, 0, idx.unsignedAt(y * 28 + x));
        Path pngFile = dir.resolve("first.png");
        ImageIO.write(png, "png", pngFile.toFile());
        Path idxFile = dir.resolve("two.idx");
        IdxWriter.write(idxFile, new int[] {2, 28, 28}, java.util.Arrays.copyOfRange(idx.bytes(), 0, 2 * 784), false);

        out.reset();
        assertEquals(0, run("predict", "--model", model.toString(), pngFile.toString(), idxFile.toString()), err());
        String[] lines = out().strip().split("\n");
        assertEquals(3, lines.length, out());
        assertTrue(lines[0].startsWith(pngFile + ": "), lines[0]);
        assertTrue(lines[1].startsWith(idxFile + "[0]: "), lines[1]);
        // The PNG and the IDX copy of the same image get the same answer.
        assertEquals(lines[0].substring(pngFile.toString().length()), lines[1].substring(idxFile.toString().length() + 3));
    }

    @Test
    void killedAfterAnEpochAndResumedEndsWithTheUninterruptedModel(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight.safetensors"), resumed = dir.resolve("resumed.safetensors");
        Path checkpoints = dir.resolve("ck"), metrics = dir.resolve("metrics.csv");
        System.setProperty("panamacnn.home", "..");
        try {
            String[] common = {"--batch", "200", "--optimizer", "adam", "--schedule", "cosine", "--warmup", "1"};
            // The uninterrupted run also leaves a checkpoint after each epoch; the one after epoch 1 is
            // exactly what a run killed during epoch 2 leaves behind.
            assertEquals(0, run(concat(common, "train", "--epochs", "2", "--out", straight.toString(),
                    "--checkpoint-dir", checkpoints.toString())), err());
            out.reset();
            assertEquals(0, run(concat(common, "train", "--epochs", "2", "--resume",
                    checkpoints.resolve("epoch-0001.safetensors").toString(), "--out", resumed.toString(),
                    "--metrics", metrics.toString())), err());
        } finally {
            System.clearProperty("panamacnn.home");
        }
        assertTrue(out().contains("resumed from") && out().contains("epoch 2/2"), out());
        var a = org.panamacnn.io.SafeTensors.read(straight).tensors();
        var b = org.panamacnn.io.SafeTensors.read(resumed).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertTrue(java.util.Arrays.equals(a.get(k).data(), b.get(k).data()), k);
        java.util.List<String> csv = java.nio.file.Files.readAllLines(metrics);
        assertEquals(2, csv.size(), csv.toString());
        assertTrue(csv.get(0).startsWith("epoch,train_loss") && csv.get(1).startsWith("2,"), csv.toString());
    }

    private static String[] concat(String[] options, String... command) {
        String[] all = java.util.Arrays.copyOf(command, command.length + options.length);
        System.arraycopy(options, 0, all, command.length, options.length);
        return all;
    }

    @Test
    void optimizerAndScheduleAreChecked() {
        assertEquals(2, run("train", "--optimizer", "rmsprop"));
        assertEquals("panama-cnn: --optimizer must be sgd or adam, got 'rmsprop'", err().strip());
        err.reset();
        assertEquals(2, run("train", "--schedule", "linear"));
        assertEquals("panama-cnn: --schedule must be constant, step or cosine, got 'linear'", err().strip());
    }

    @Test
    void predictAndEvalReadTrainsDefaultModelFileAndSayWhenItIsMissing() {
        assertEquals(1, run("predict", "x.png"));
        assertEquals("panama-cnn: file not found: model.safetensors", err().strip());
        err.reset();
        assertEquals(1, run("eval"));
        assertEquals("panama-cnn: file not found: model.safetensors", err().strip());
        err.reset();
        assertEquals(1, run("eval", "--model", "nosuch.onnx"));
        assertEquals("panama-cnn: file not found: nosuch.onnx", err().strip());
        err.reset();
        assertEquals(0, run("predict", "--help"));
        assertTrue(out().contains(".safetensors (saved by train) or .onnx"), out());
    }

    @Test
    void aCorruptModelFileIsReportedWithItsName(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.safetensors");
        java.nio.file.Files.writeString(bad, "not a model");
        assertEquals(1, run("predict", "--model", bad.toString(), "x.png"));
        assertTrue(err().contains(bad.toString()), err());
    }

    @Test
    void aDivergingRunStopsWithOneLineAndSavesNoModel(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.safetensors");
        System.setProperty("panamacnn.home", "..");
        try {
            assertEquals(1, run("train", "--lr", "1000", "--epochs", "2", "--checkpoint-dir", dir.resolve("ck").toString(),
                    "--out", model.toString()), err());
            assertTrue(err().matches("(?s)panama-cnn: training diverged in epoch 1, batch \\d+: .*layer \\d+ \\(.*\\n"), err());
            assertFalse(java.nio.file.Files.exists(model), "a diverged model was saved");
            assertFalse(java.nio.file.Files.exists(dir.resolve("ck").resolve("epoch-0001.safetensors")));
            err.reset();
            assertEquals(2, run("train", "--clip-norm", "-1"));
            assertTrue(err().contains("--clip-norm"), err());
        } finally {
            System.clearProperty("panamacnn.home");
        }
    }

    @Test
    void trainsOnAFolderOfColourImagesAndPredictsWithItsClassNames(@TempDir Path dir) throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 40; i++) {
            for (String cls : new String[] {"reds", "greens"}) {
                BufferedImage img = new BufferedImage(12, 12, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 12; y++) {
                    for (int x = 0; x < 12; x++) {
                        int v = 150 + r.nextInt(100);
                        img.setRGB(x, y, cls.equals("reds") ? v << 16 : v << 8);
                    }
                }
                Path f = dir.resolve("data").resolve(cls).resolve(i + ".png");
                java.nio.file.Files.createDirectories(f.getParent());
                ImageIO.write(img, "png", f.toFile());
            }
        }
        Path model = dir.resolve("colour.safetensors");
        assertEquals(0, run("train", "--data", dir.resolve("data").toString(), "--epochs", "3", "--batch", "8", "--test-fraction", "0.25", "--augment-crop", "2", "--augment-flip",
                "--out", model.toString()), err());
        assertTrue(out().contains("(image folder (25% held out, seed 42)) — 60 training, 20 test images of 3x12x12, 2 classes"), out());
        out.reset();
        assertEquals(0, run("eval", "--model", model.toString(), "--data", dir.resolve("data").toString()), err());
        assertTrue(out().contains("accuracy 100.00% (20 of 20 test images)") && out().contains("greens"), out());
        out.reset();
        // a new red picture of another size: scaled, normalised as in training, named by its class
        BufferedImage red = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) for (int x = 0; x < 30; x++) red.setRGB(x, y, 200 << 16);
        Path png = dir.resolve("red.png");
        ImageIO.write(red, "png", png.toFile());
        assertEquals(0, run("predict", "--model", model.toString(), png.toString()), err());
        assertTrue(out().startsWith(png + ": reds"), out());
        assertEquals(2, run("train", "--data", dir.resolve("data").toString(), "--image-size", "0x5"));
        assertTrue(err().contains("--image-size"), err());
    }

    @Test
    void anOnnxModelFromPyTorchEvaluatesAsItsSourceAndConverts(@TempDir Path dir) throws Exception {
        System.setProperty("panamacnn.home", "..");
        try {
            assertEquals(0, run("eval", "--model", "../bench/models/default-cnn.safetensors"), err());
            Matcher a = Pattern.compile("accuracy ([\\d.]+)% ").matcher(out());
            assertTrue(a.find(), out());
            out.reset();
            assertEquals(0, run("eval", "--model", "../bench/models/default-cnn.onnx"), err());
            assertTrue(out().contains("accuracy " + a.group(1) + "% "), out());
            out.reset();
            Path converted = dir.resolve("from-onnx.safetensors");
            assertEquals(0, run("convert", "../bench/models/default-cnn.onnx", converted.toString()), err());
            out.reset();
            assertEquals(0, run("eval", "--model", converted.toString()), err());
            assertTrue(out().contains("accuracy " + a.group(1) + "% "), out());
            out.reset();
            // fine-tuning from the PyTorch model: it starts where that model is, not from scratch
            assertEquals(0, run("train", "--init", "../bench/models/default-cnn.onnx", "--epochs", "1", "--lr", "0.001",
                    "--out", dir.resolve("tuned.safetensors").toString()), err());
            Matcher tuned = Pattern.compile("test acc +([\\d.]+)%").matcher(out());
            assertTrue(out().contains("starting from the weights of ../bench/models/default-cnn.onnx") && tuned.find(), out());
            assertTrue(Double.parseDouble(tuned.group(1)) > 85, out());
            Path bad = dir.resolve("bad.onnx");
            java.nio.file.Files.writeString(bad, "not onnx");
            assertEquals(1, run("predict", "--model", bad.toString(), "x.png"));
            assertTrue(err().contains(bad.toString()), err());
        } finally {
            System.clearProperty("panamacnn.home");
        }
    }

    @Test
    void trainsOnAnImageFolderMadeFromFashionMnistTestImages(@TempDir Path dir) throws Exception {
        // 40 PNGs per class from the sample's test set, in class-named folders
        IdxFile images = IdxFile.read(Path.of("..", "data", "fashion-mnist-sample", "t10k-images-idx3-ubyte.gz"));
        IdxFile labels = IdxFile.read(Path.of("..", "data", "fashion-mnist-sample", "t10k-labels-idx1-ubyte.gz"));
        int[] perClass = new int[10];
        for (int i = 0; i < labels.length(); i++) {
            int c = labels.unsignedAt(i);
            if (perClass[c] == 40) continue;
            BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) png.getRaster().setSample(x, y, 0, images.unsignedAt(i * 784 + y * 28 + x));
            Path f = dir.resolve("fashion").resolve(String.format("%d-%s", c, FashionMnist.CLASS_NAMES[c].replace('/', '-'))).resolve(perClass[c]++ + ".png");
            java.nio.file.Files.createDirectories(f.getParent());
            ImageIO.write(png, "png", f.toFile());
        }
        assertEquals(0, run("train", "--data", dir.resolve("fashion").toString(), "--epochs", "4", "--batch", "16",
                "--test-fraction", "0.25", "--out", dir.resolve("model.safetensors").toString()), err());
        assertTrue(out().contains("300 training, 100 test images of 1x28x28, 10 classes"), out());
        Matcher m = Pattern.compile("epoch 4/4 .*test acc +([\\d.]+)%").matcher(out());
        assertTrue(m.find(), out());
        assertTrue(Double.parseDouble(m.group(1)) > 50, "300 images, 4 epochs: " + out());
    }
}
