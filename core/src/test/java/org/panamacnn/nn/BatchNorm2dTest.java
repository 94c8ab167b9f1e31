package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.nn.TestSupport.assertClose;
import static org.panamacnn.nn.TestSupport.dot;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.toDouble;
import static org.panamacnn.nn.TestSupport.uniform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.io.ModelFile;
import org.panamacnn.oracle.FiniteDifference;
import org.panamacnn.oracle.OracleBatchNorm;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** {@link BatchNorm2d} against {@link OracleBatchNorm} (training, evaluation, running statistics, backward), the oracle against finite differences, and its file round trip. */
class BatchNorm2dTest {

    private static float[] shifted(Random rnd, int n, float offset, float spread) {
        float[] x = uniform(rnd, n);
        for (int i = 0; i < n; i++) x[i] = offset + spread * x[i];
        return x;
    }

    @Test
    void trainingForwardBackwardAndRunningStatisticsMatchTheOracle() {
        Random rnd = new Random(31);
        for (int[] s : new int[][] {{3, 5, 4, 7}, {1, 17, 3, 3}, {8, 2, 1, 1}, {2, 9, 6, 5}}) {
            int n = s[0], c = s[1], h = s[2], w = s[3];
            BatchNorm2d bn = new BatchNorm2d();
            bn.build(Shape.of(c, h, w));
            float[] g = uniform(rnd, c), b = uniform(rnd, c);
            System.arraycopy(g, 0, bn.weight().value().data(), 0, c);
            System.arraycopy(b, 0, bn.bias().value().data(), 0, c);
            float[] x = shifted(rnd, n * c * h * w, 3f, 2f); // a mean far from 0
            double[] xd = toDouble(x);
            Tensor y = bn.forward(tensor(Shape.of(c, h, w), n, x), true);
            double[][] st = OracleBatchNorm.stats(xd, n, c, h, w);
            String ctx = java.util.Arrays.toString(s);
            assertClose(ctx + " forward", OracleBatchNorm.normalize(xd, n, c, h, w, st[0], st[1], toDouble(g), toDouble(b), BatchNorm2d.EPS), y, 2e-5);
            int m = n * h * w;
            for (int ch = 0; ch < c; ch++) {
                assertEquals(0.1 * st[0][ch], bn.runningMean()[ch], 1e-5, ctx + " running mean");
                assertEquals(0.9 + 0.1 * st[1][ch] * (m > 1 ? (double) m / (m - 1) : 1), bn.runningVar()[ch], 1e-5, ctx + " running var");
            }
            float[] dy = uniform(rnd, x.length);
            Tensor dx = bn.backward(tensor(Shape.of(c, h, w), n, dy), true);
            double[][] e = OracleBatchNorm.backward(toDouble(dy), xd, n, c, h, w, toDouble(g), BatchNorm2d.EPS);
            assertClose(ctx + " δx", e[0], dx, 5e-5);
            assertClose(ctx + " δγ", e[1], bn.weight().grad(), 5e-5);
            assertClose(ctx + " δβ", e[2], bn.bias().grad(), 1e-5);

            Tensor ye = bn.forward(tensor(Shape.of(c, h, w), n, x), false); // evaluation: running statistics
            double[] rm = toDouble(bn.runningMean()), rv = toDouble(bn.runningVar());
            assertClose(ctx + " evaluation", OracleBatchNorm.normalize(xd, n, c, h, w, rm, rv, toDouble(g), toDouble(b), BatchNorm2d.EPS), ye, 2e-5);
        }
    }

    @Test
    void oracleGradientMatchesFiniteDifferences() {
        Random rnd = new Random(32);
        int n = 2, c = 3, h = 3, w = 4;
        double[] x = toDouble(uniform(rnd, n * c * h * w)), r = toDouble(uniform(rnd, x.length));
        double[] gamma = {0.7, -1.3, 2.0}, beta = {0.1, 0.2, -0.3};
        double eps = 1e-5;
        double[] dx = OracleBatchNorm.backward(r, x, n, c, h, w, gamma, eps)[0];
        double[] fd = FiniteDifference.gradient(xs -> {
            double[][] st = OracleBatchNorm.stats(xs, n, c, h, w);
            return dot(r, OracleBatchNorm.normalize(xs, n, c, h, w, st[0], st[1], gamma, beta, eps));
        }, x, 1e-6);
        for (int i = 0; i < dx.length; i++) assertEquals(fd[i], dx[i], 1e-6, "δx[" + i + "]");
    }

    @Test
    void runningStatisticsAreSavedAndLoaded(@TempDir Path dir) throws Exception {
        Sequential model = new Sequential(Shape.of(2, 4, 4), ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                new Conv2d(3, 3, 1, 1), new BatchNorm2d(), new ReLU(), new Flatten(), new Dense(2)));
        model.initialize(1);
        model.forward(tensor(Shape.of(2, 4, 4), 3, uniform(new Random(1), 96)), true); // moves the running statistics
        Path file = dir.resolve("bn.safetensors");
        ModelFile.save(file, model, Map.of());
        Sequential back = ModelFile.load(file, ParallelExecutor.SEQUENTIAL).model();
        BatchNorm2d saved = (BatchNorm2d) model.layers().get(1), loaded = (BatchNorm2d) back.layers().get(1);
        assertArrayEquals(saved.runningMean(), loaded.runningMean());
        assertArrayEquals(saved.runningVar(), loaded.runningVar());
        assertEquals("batchnorm2d channels=3", loaded.spec());
        assertEquals(true, Files.size(file) > 0);
    }

    @Test
    void channelsSplitOverThreadsGiveBitIdenticalResults() {
        Random rnd = new Random(5);
        int n = 6, c = 13, h = 5, w = 7;
        float[] x = uniform(rnd, n * c * h * w), dy = uniform(rnd, n * c * h * w);
        float[][] reference = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (ParallelExecutor ex = new ParallelExecutor(threads)) {
                BatchNorm2d bn = new BatchNorm2d();
                bn.build(Shape.of(c, h, w), ex);
                float[] y = bn.forward(tensor(Shape.of(c, h, w), n, x), true).toArray();
                float[] dx = bn.backward(tensor(Shape.of(c, h, w), n, dy), true).toArray();
                float[] evalY = bn.forward(tensor(Shape.of(c, h, w), n, x), false).toArray();
                float[][] all = {y, dx, evalY, bn.weight().grad().toArray(), bn.bias().grad().toArray(), bn.runningMean().clone(), bn.runningVar().clone()};
                if (reference == null) reference = all;
                for (int i = 0; i < all.length; i++) assertArrayEquals(reference[i], all[i], threads + " threads, array " + i);
            }
        }
    }
}
