package org.panamacnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.panamacnn.tensor.Tensor;

/**
 * Every shape of {@link GeneralConvBenchmark} runs what it claims to measure: the training step
 * returns an input gradient of the input's size, and the planned inference of the same convolution
 * gives the training forward's values (averaged over the plane by the pool after it).
 */
class GeneralConvBenchmarkTest {
    @ParameterizedTest
    @ValueSource(strings = {"inception1x7", "inception7x1", "dilated3x3", "stride2x1", "square3x3-general", "square3x3-conv2d"})
    void measuresTheConvolutionItNames(String shape) {
        GeneralConvBenchmark b = new GeneralConvBenchmark();
        b.shape = shape;
        b.threads = 1;
        b.setup();
        try {
            Tensor dx = b.trainingStep();
            assertEquals(b.input.size(), dx.size(), shape + ": input gradient size");
            float[] got = b.inference();
            // the same weights (seed 3) through the training forward, then the mean over each channel's plane
            float[] x = java.util.Arrays.copyOf(b.plan.input(b.workspace), b.plan.inputShape().size());
            Tensor z = b.conv.forward(new Tensor(b.plan.inputShape().withBatch(1), x), false);
            int channels = b.plan.classes(), plane = z.size() / channels;
            for (int c = 0; c < channels; c++) {
                double mean = 0;
                for (int q = 0; q < plane; q++) mean += z.data()[c * plane + q];
                mean /= plane;
                assertEquals(mean, got[c], 1e-4 * Math.max(1, Math.abs(mean)), shape + ": channel " + c);
            }
        } finally {
            b.tearDown();
        }
    }
}
