package org.panamacnn.infer;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.nn.BatchNorm2d;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.ConvTranspose2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.GlobalAvgPool2d;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.MaxPool2d;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Residual;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.TestSupport;
import org.panamacnn.nn.Upsample2d;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * The inference plan of the upsampling layers (transposed convolution, nearest and bilinear
 * upsample) against the training path's forward, which the layer tests hold against the scalar
 * oracle: logits within 2e-5, at 1 and 3 threads.
 */
class UpsamplingInferenceTest {
    static List<Sequential> architectures() {
        return List.of(
                // an encoder-decoder: conv → pool → conv, a 3×3 stride-2 transposed conv with output padding reading a
                // channel-padded NHWC buffer, a nearest upsample before a padded conv (its border must stay zero)
                new Sequential(Shape.of(3, 10, 9), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        new Conv2d(8, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Conv2d(12, 3, 1, 1),
                        new ConvTranspose2d(12, 6, 3, 2, 1, 1, true), new ReLU(), Upsample2d.nearest(2), new Conv2d(5, 3, 1, 1),
                        new GlobalAvgPool2d(), new Flatten(), new Dense(4))),
                // bilinear both ways on the raw input and after a bias-free 2×2 stride-2 transposed conv with a batch norm,
                // widths with vector tails, a residual path with a transposed conv that keeps the size
                new Sequential(Shape.of(2, 3, 5), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                        Upsample2d.bilinear(2, false), new ConvTranspose2d(2, 19, 2, 2, 0, 0, false), new BatchNorm2d(),
                        new Upsample2d(3, 2, Upsample2d.Mode.BILINEAR, true),
                        new Residual(List.of(new ConvTranspose2d(19, 19, 3, 1, 1, 0, true), new ReLU()), List.of()),
                        new Conv2d(3, 3, 2, 1), new Flatten(), new Dense(3))));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void agreesWithTheTrainingForward(Sequential model) {
        Random rnd = new Random(model.summary().hashCode());
        model.initialize(rnd.nextLong());
        for (Param p : model.params()) { // biases away from zero
            float[] v = p.value().data();
            if (p.name().equals("bias")) for (int i = 0; i < v.length; i++) v[i] = (float) (0.3 * rnd.nextGaussian()) - 0.2f;
        }
        for (Layer l : model.layers()) {
            if (l instanceof BatchNorm2d bn) {
                for (int c = 0; c < bn.runningMean().length; c++) {
                    bn.runningMean()[c] = (float) (0.2 * rnd.nextGaussian());
                    bn.runningVar()[c] = 0.5f + rnd.nextFloat();
                }
            }
        }
        int count = 5, size = model.inputShape().size();
        float[] x = new float[count * size];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        Tensor logits = model.forward(new Tensor(model.inputShape().withBatch(count), x.clone()), false);
        InferenceModel im = InferenceModel.compile(model);
        for (int threads : new int[] {1, 3}) {
            try (ParallelExecutor ex = new ParallelExecutor(threads)) {
                Workspace ws = im.newWorkspace(count, threads);
                System.arraycopy(x, 0, im.input(ws), 0, x.length);
                im.forward(ws, count, ex);
                float[] got = new float[logits.size()];
                int k = im.classes();
                for (int n = 0; n < count; n++) System.arraycopy(im.output(ws), n * im.outputStride(), got, n * k, k);
                TestSupport.assertClose(model.summary() + im.plan() + threads + " threads", TestSupport.toDouble(logits), got, 2e-5);
            }
        }
    }
}
