package org.panamacnn.infer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.TestSupport;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.TaskRunner;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A dense layer on a flattened image whose weight reaches {@link InferenceModel#LARGE_DENSE_FLOATS}
 * (as VGG's first classifier layer): the plan packs the model's own weight and reorders the
 * features per call (NHWC → NCHW) instead of permuting a copy of the weight, with the same logits
 * as the training forward.
 */
class LargeDenseInferenceTest {
    @Test
    void largeDenseAfterAFlattenedImageAgreesWithTheTrainingForward() {
        int classes = (int) (InferenceModel.LARGE_DENSE_FLOATS / (5 * 3 * 3)) + 7; // 5 channels of 3×3, padded to a wider stride
        Sequential model = new Sequential(Shape.of(2, 5, 5), ParallelExecutor.SEQUENTIAL,
                List.<Layer>of(new Conv2d(5, 3, 1, 0), new Flatten(), new Dense(classes)));
        Random rnd = new Random(2121);
        model.initialize(rnd.nextLong());
        int count = 2;
        float[] x = TestSupport.uniform(rnd, count * model.inputShape().size());
        InferenceModel im = InferenceModel.compile(model);
        assertTrue(im.plan().contains("NHWC → NCHW flatten order") && !im.plan().contains("weights permuted"), im.plan());
        Workspace ws = im.newWorkspace(count, 1);
        System.arraycopy(x, 0, im.input(ws), 0, x.length);
        im.forward(ws, count, TaskRunner.SERIAL);
        float[] got = new float[count * classes];
        for (int n = 0; n < count; n++) System.arraycopy(im.output(ws), n * im.outputStride(), got, n * classes, classes);
        Tensor logits = model.forward(new Tensor(model.inputShape().withBatch(count), x), false);
        TestSupport.assertClose(im.plan(), TestSupport.toDouble(logits), got, 2e-5);
    }
}
