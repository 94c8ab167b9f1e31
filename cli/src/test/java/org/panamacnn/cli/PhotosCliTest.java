package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.data.ImageFiles;
import org.panamacnn.data.PhotoTransform;
import org.panamacnn.data.PixelNormalization;
import org.panamacnn.data.Resizing;
import org.panamacnn.infer.Predictor;

/** train --photos, then eval and predict of the saved model with its resize + centre crop and normalisation. */
class PhotosCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Two classes of JPEGs of assorted sizes: reddish and bluish noise. */
    private Path photos() throws Exception {
        Path data = dir.resolve("photos");
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 24; i++) {
            String c = i % 2 == 0 ? "red" : "blue";
            int w = 40 + r.nextInt(60), h = 40 + r.nextInt(60);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int a = 80 + r.nextInt(120), b = r.nextInt(80);
                    img.setRGB(x, y, c.equals("red") ? a << 16 | b << 8 | b : b << 16 | b << 8 | a);
                }
            }
            Files.createDirectories(data.resolve(c));
            ImageIO.write(img, "jpeg", data.resolve(c).resolve(i + ".jpg").toFile());
        }
        return data;
    }

    @Test
    void trainsOnPhotosAndEvalAndPredictCropAsTraining() throws Exception {
        Path data = photos(), model = dir.resolve("m.safetensors");
        assertEquals(0, run("train", "--data", data.toString(), "--photos", "--image-size", "32", "--epochs", "2", "--batch", "4",
                "--threads", "1", "--out", model.toString()), err.toString());
        String log = out.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("photos decoded as training goes"), log);
        try (Predictor p = Predictor.load(model)) {
            assertEquals(PixelNormalization.IMAGENET, p.normalization());
            assertEquals(new Resizing(36), p.resizing());
            assertEquals("shorter-side 36, centre crop", p.metadata().get("resize"));
            // predict's input is the centre crop, normalised
            Path one = data.resolve("red").resolve("0.jpg");
            byte[] px = new byte[3 * 32 * 32];
            PhotoTransform.centre(ImageFiles.read(one), 3, 32, 32, px, 0);
            float[] expected = new float[px.length];
            for (int i = 0; i < px.length; i++) expected[i] = PixelNormalization.IMAGENET.apply(i / (32 * 32), px[i] & 0xFF);
            assertArrayEquals(expected, p.input(one), 0f);
        }
        assertEquals(0, run("eval", "--model", model.toString(), "--data", data.toString(), "--threads", "1"), err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("accuracy"), out.toString(StandardCharsets.UTF_8));
        assertEquals(0, run("predict", "--model", model.toString(), data.resolve("blue").resolve("1.jpg").toString()), err.toString());
        // --mean/--std replace ImageNet's and are kept
        assertEquals(0, run("train", "--data", data.toString(), "--photos", "--image-size", "32", "--epochs", "1", "--batch", "4",
                "--threads", "1", "--mean", "0.5,0.5,0.5", "--std", "0.25,0.25,0.25", "--out", model.toString()), err.toString());
        try (Predictor p = Predictor.load(model)) {
            assertEquals(PixelNormalization.fromMetadata("0.5,0.5,0.5;0.25,0.25,0.25"), p.normalization());
        }
    }

    @Test
    void refusesWhatPhotosCannotDo() throws Exception {
        Path data = photos();
        assertEquals(2, run("train", "--data", data.toString(), "--photos"));
        assertTrue(err.toString().contains("--photos needs --image-size"), err.toString());
        assertEquals(2, run("train", "--data", data.toString(), "--photos", "--image-size", "32", "--augment-flip"));
        assertTrue(err.toString().contains("--augment-flip"), err.toString());
        assertEquals(2, run("train", "--data", data.toString(), "--image-size", "32", "--mean", "0.5"));
        assertTrue(err.toString().contains("--mean and --std go together"), err.toString());
        Path corrupt = data.resolve("red").resolve("2.jpg");
        Files.write(corrupt, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        assertEquals(1, run("train", "--data", data.toString(), "--photos", "--image-size", "32", "--epochs", "1", "--batch", "4",
                "--threads", "1", "--out", dir.resolve("x.safetensors").toString()));
        assertTrue(err.toString().contains(corrupt.toString()), err.toString());
    }
}
