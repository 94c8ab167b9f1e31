package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.io.ModelFile;
import org.panamacnn.io.ModelReader;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Fine-tuning from the command line, as a user does it: a ResNet-style network exported from
 * PyTorch (the onnx module's torchvision-block fixture, 10 classes) trained on a folder of three
 * classes of colour pictures with its stem and first block frozen.
 */
class FineTuneCliTest {
    private static final String ONNX = "../onnx/src/test/resources/torchvision/tiny-resnet-legacy.onnx";
    private static final String[] CLASSES = {"blue", "green", "red"};
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** train/ and test/ folders of 32×32 noisy pictures, each class mostly one colour. */
    private static Path pictures(Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        for (String part : new String[] {"train", "test"}) {
            for (int c = 0; c < CLASSES.length; c++) {
                Path folder = Files.createDirectories(dir.resolve(part).resolve(CLASSES[c]));
                for (int i = 0; i < (part.equals("train") ? 16 : 6); i++) {
                    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 32; y++) {
                        for (int x = 0; x < 32; x++) {
                            int[] rgb = {r.nextInt(90), r.nextInt(90), r.nextInt(90)};
                            rgb[2 - c] += 120 + r.nextInt(40); // blue, green, red
                            img.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
                        }
                    }
                    ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
                }
            }
        }
        return dir;
    }

    @Test
    void fineTunesAnOnnxModelOnAnImageFolderWithAFrozenStem(@TempDir Path dir) throws Exception {
        Path data = pictures(dir.resolve("data")), tuned = dir.resolve("tuned.safetensors");
        assertEquals(0, run("train", "--init", ONNX, "--data", data.toString(), "--freeze", "0.", "--freeze", "3", "--epochs", "4",
                "--batch", "8", "--lr", "0.02", "--threads", "2", "--out", tuned.toString()), err.toString());
        String log = out.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("new classifier head of 3 classes in place of layer 9 (Dense(16→10)), initialised as PyTorch's nn.Linear (seed 42)"), log);
        assertTrue(log.contains("frozen: 0., 3 (6 tensors, 2,352 values); 3 leading steps run in evaluation mode without backward"), log);
        try (ParallelExecutor executor = new ParallelExecutor(1)) {
            Sequential original = ModelReader.load(Path.of(ONNX), executor);
            ModelFile.Loaded saved = ModelFile.load(tuned, executor);
            Map<String, Tensor> before = original.weights().byName(), after = saved.model().weights().byName();
            for (String name : before.keySet()) {
                if (name.startsWith("9.")) continue;
                boolean frozen = name.startsWith("0.") || name.startsWith("3.");
                assertEquals(frozen, java.util.Arrays.equals(before.get(name).data(), after.get(name).data()), name + (frozen ? " frozen" : " trained"));
            }
            assertEquals(Shape.of(3, 16), after.get("9.weight").shape());
            assertEquals("[\"blue\",\"green\",\"red\"]", saved.metadata().get("classes"));
            assertEquals("0.,3", saved.metadata().get("run.freeze"));
        }
        String[] epochs = log.lines().filter(l -> l.startsWith("epoch ")).toArray(String[]::new);
        assertEquals(4, epochs.length, log);
        assertTrue(loss(epochs[3]) < loss(epochs[0]), "the loss falls: " + epochs[0] + " / " + epochs[3]);
        assertEquals(0, run("eval", "--model", tuned.toString(), "--data", data.toString()), err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("blue"), out.toString());
        assertEquals(0, run("predict", "--model", tuned.toString(), data.resolve("test/red/0.png").toString()), err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("red"), out.toString());
    }

    private static double loss(String epochLine) {
        return Double.parseDouble(epochLine.replaceAll(".*?  loss ([0-9.]+) .*", "$1"));
    }

    @Test
    void badFineTuningOptionsSayWhatIsWrong(@TempDir Path dir) throws Exception {
        Path data = pictures(dir.resolve("data"));
        String out = dir.resolve("x.safetensors").toString();
        assertEquals(1, run("train", "--init", ONNX, "--data", data.toString(), "--freeze", "layer1.", "--epochs", "1", "--out", out));
        assertTrue(err.toString().contains("the prefix 'layer1.' matches none of the model's tensors; its top-level layers are 0., 3., 5., 9."), err.toString());
        assertEquals(1, run("train", "--init", ONNX, "--data", data.toString(), "--freeze", "5.main.7", "--epochs", "1", "--out", out));
        assertTrue(err.toString().contains("under '5.main.' are 5.main.0., 5.main.2."), err.toString());
        assertEquals(2, run("train", "--init", ONNX, "--data", data.toString(), "--num-classes", "10", "--epochs", "1", "--out", out));
        assertTrue(err.toString().contains("--num-classes 10 but the data " + data + " has 3 classes"), err.toString());
        assertEquals(2, run("train", "--data", data.toString(), "--num-classes", "3", "--epochs", "1", "--out", out));
        assertTrue(err.toString().contains("--num-classes replaces the classifier head of an --init model"), err.toString());
        assertEquals(1, run("train", "--init", ONNX, "--data", data.toString(), "--freeze", "0.,3.,5.,9.", "--epochs", "1", "--out", out));
        assertTrue(err.toString().contains("every layer is frozen: nothing is left to train"), err.toString());
        assertEquals(2, run("train", "--spark", "local[1]", "--freeze", "0."));
        assertTrue(err.toString().contains("--freeze is an option of training on this machine; train --spark does not take it"), err.toString());
        assertFalse(Files.exists(Path.of(out)), "nothing saved");
    }
}
