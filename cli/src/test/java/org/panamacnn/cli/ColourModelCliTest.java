package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.data.PixelNormalization;
import org.panamacnn.infer.Predictor;

/**
 * predict and convert on a 3-channel model from PyTorch (the tiny MobileNetV2-style network the onnx
 * module's tests hold against PyTorch): without normalisation metadata it gets ImageNet's, and
 * convert --mean/--std stores another.
 */
class ColourModelCliTest {
    private static final String ONNX = "../onnx/src/test/resources/torchvision/tiny-mobilenet-legacy.onnx";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static Path picture(Path dir) throws Exception {
        BufferedImage img = new BufferedImage(45, 37, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, (x * 5) << 16 | (y * 6) << 8 | (x + y) * 3);
        Path file = dir.resolve("colour.png");
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    @Test
    void predictsFromTheOnnxFileAndItsConversion(@TempDir Path dir) throws Exception {
        Path png = picture(dir);
        assertEquals(0, run("predict", "--model", ONNX, png.toString()), err.toString());
        String fromOnnx = out.toString(StandardCharsets.UTF_8);
        assertTrue(fromOnnx.startsWith(png + ": class "), fromOnnx);
        Path converted = dir.resolve("tiny.safetensors");
        assertEquals(0, run("convert", ONNX, converted.toString()), err.toString());
        assertEquals(0, run("predict", "--model", converted.toString(), png.toString()), err.toString());
        assertEquals(fromOnnx, out.toString(StandardCharsets.UTF_8), "the converted file predicts as the ONNX file");
        try (Predictor p = Predictor.load(converted)) {
            assertEquals(PixelNormalization.IMAGENET, p.normalization());
        }
    }

    @Test
    void convertStoresTheGivenNormalisation(@TempDir Path dir) throws Exception {
        Path converted = dir.resolve("tiny.safetensors");
        assertEquals(0, run("convert", ONNX, converted.toString(), "--mean", "0.5,0.5,0.5", "--std", "0.25,0.25,0.25", "--classes",
                "a,b,c,d,e,f,g,h,i,j"), err.toString());
        try (Predictor p = Predictor.load(converted)) {
            assertEquals(new PixelNormalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}), p.normalization());
        }
        Path png = picture(dir);
        assertEquals(0, run("predict", "--model", converted.toString(), png.toString()), err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).matches("(?s).*: [a-j] .*"), out.toString());
        assertNotEquals(0, run("convert", ONNX, dir.resolve("x.safetensors").toString(), "--mean", "0.5", "--std", "0.25"));
        assertTrue(err.toString().contains("1 channels, the model takes [3, 32, 32]"), err.toString());
        assertNotEquals(0, run("convert", ONNX, dir.resolve("x.safetensors").toString(), "--mean", "0.5,0.5,0.5"));
    }
}
