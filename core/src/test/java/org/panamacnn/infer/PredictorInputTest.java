package org.panamacnn.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.panamacnn.data.PixelNormalization;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Activations;
import org.panamacnn.tensor.Shape;

/** Predictor's picture-to-input call and its raw outputs. */
class PredictorInputTest {
    private static Sequential colourModel() {
        Sequential m = new Sequential(Shape.of(3, 4, 5), ParallelExecutor.SEQUENTIAL, List.<Layer>of(new Conv2d(2, 3, 1, 1), new Flatten(), new Dense(3)));
        m.initialize(7);
        return m;
    }

    /** A 3-channel model without metadata normalises with ImageNet's mean and std; the pixels are scaled to its size. */
    @Test
    void aPictureBecomesTheInputWithImageNetsNormalisation() throws Exception {
        BufferedImage img = new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB); // already the input size: no scaling
        for (int y = 0; y < 4; y++) for (int x = 0; x < 5; x++) img.setRGB(x, y, (40 * x) << 16 | (50 * y) << 8 | (10 * x + 20 * y));
        try (Predictor p = new Predictor(colourModel())) {
            assertEquals(PixelNormalization.IMAGENET, p.normalization());
            float[] input = p.input(img);
            float[] mean = {0.485f, 0.456f, 0.406f}, std = {0.229f, 0.224f, 0.225f};
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    int[] rgb = {40 * x, 50 * y, 10 * x + 20 * y};
                    for (int c = 0; c < 3; c++) {
                        assertEquals((rgb[c] / 255f - mean[c]) / std[c], input[(c * 4 + y) * 5 + x], 1e-6, "channel " + c + " at " + y + ", " + x);
                    }
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            assertArrayEquals(input, p.input(png.toByteArray()), "from encoded bytes");
        }
    }

    @Test
    void logitsAreWhatTheProbabilitiesAreTheSoftmaxOf() {
        Sequential model = colourModel();
        try (Predictor p = new Predictor(model)) {
            float[] image = new float[model.inputShape().size()];
            for (int i = 0; i < image.length; i++) image[i] = (float) Math.sin(i);
            float[] logits = p.logits(image), probs = p.probabilities(image), softmax = new float[3];
            Activations.softmaxRows(1, 3, logits, 0, softmax, 0);
            assertArrayEquals(probs, softmax);
            float[] direct = model.forward(new org.panamacnn.tensor.Tensor(model.inputShape().withBatch(1), image.clone()), false).data();
            assertArrayEquals(direct, logits, 1e-5f);
        }
    }
}
