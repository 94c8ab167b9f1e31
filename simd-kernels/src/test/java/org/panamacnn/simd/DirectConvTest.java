package org.panamacnn.simd;

import static org.panamacnn.simd.TestSupport.abs;
import static org.panamacnn.simd.TestSupport.assertAllClose;
import static org.panamacnn.simd.TestSupport.assertRejects;
import static org.panamacnn.simd.TestSupport.floatTol;
import static org.panamacnn.simd.TestSupport.randomArray;
import static org.panamacnn.simd.TestSupport.toDouble;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleConv2d;

/**
 * {@link DirectConv} against the direct convolution of {@link OracleConv2d}: forward with and
 * without bias and ReLU, on 1–3 input
 * channels, output-channel counts that leave a remainder after the blocks of 4, kernels 1/3/5,
 * padding 0–2, rows wider and narrower than a vector and row lengths with ragged tails.
 */
class DirectConvTest {

    @ParameterizedTest(name = "n={0} cin={1} cout={2} {3}x{4} k={5} p={6}")
    @CsvSource({
        // n, cin, cout, h, w, k, pad
        "2, 1, 32, 28, 28, 3, 1",
        "3, 3, 7, 13, 11, 3, 1",
        "2, 1, 5, 9, 17, 5, 2",
        "1, 2, 9, 6, 5, 3, 0",
        "2, 3, 4, 5, 3, 3, 1",
        "1, 1, 3, 8, 8, 1, 0",
        "2, 3, 6, 16, 16, 3, 2",
        "1, 1, 1, 4, 4, 3, 1",
        "2, 32, 2, 9, 9, 3, 1",
    })
    void forwardEqualsTheOracle(int n, int cin, int cout, int h, int w, int k, int pad) {
        String shape = String.format("direct conv n=%d cin=%d cout=%d h=%d w=%d k=%d pad=%d", n, cin, cout, h, w, k, pad);
        Random rnd = new Random(Arrays.hashCode(new int[] {n, cin, cout, h, w, k, pad}));
        int oh = Im2Col.outSize(h, k, 1, pad), ow = Im2Col.outSize(w, k, 1, pad);
        int img = cin * h * w, outImg = cout * oh * ow, taps = cin * k * k;
        float[] x = randomArray(rnd, n * img), weight = randomArray(rnd, cout * taps), bias = randomArray(rnd, cout);
        double[] xd = toDouble(x), wd = toDouble(weight), bd = toDouble(bias);
        float[] work = new float[DirectConv.workLength(cin, h, w, pad) + 3];
        Arrays.fill(work, Float.NaN); // padding must be written, not assumed

        float[] z = new float[n * outImg], zRelu = new float[n * outImg], zNoBias = new float[n * outImg];
        Arrays.fill(z, Float.NaN);
        for (int b = 0; b < n; b++) {
            DirectConv.forward(x, b * img, cin, h, w, k, pad, weight, 0, cout, bias, 0, false, z, b * outImg, work);
            DirectConv.forward(x, b * img, cin, h, w, k, pad, weight, 0, cout, bias, 0, true, zRelu, b * outImg, work);
            DirectConv.forward(x, b * img, cin, h, w, k, pad, weight, 0, cout, null, 0, false, zNoBias, b * outImg, work);
        }

        double[] zRef = OracleConv2d.forward(xd, n, cin, h, w, wd, cout, k, k, bd, 1, pad);
        double[] zMag = OracleConv2d.forward(abs(xd), n, cin, h, w, abs(wd), cout, k, k, abs(bd), 1, pad);
        double[] tol = new double[zMag.length];
        for (int i = 0; i < tol.length; i++) tol[i] = floatTol(taps + 1) * zMag[i] + Float.MIN_NORMAL;
        assertAllClose(shape + " forward", zRef, z, 0, tol);
        double[] reluRef = zRef.clone();
        for (int i = 0; i < reluRef.length; i++) reluRef[i] = Math.max(0, z[i]); // same sums, then max(·, 0)
        assertAllClose(shape + " forward with ReLU", reluRef, zRelu, 0, 0, 0);
        double[] noBiasRef = OracleConv2d.forward(xd, n, cin, h, w, wd, cout, k, k, new double[cout], 1, pad);
        assertAllClose(shape + " forward without bias", noBiasRef, zNoBias, 0, tol);

    }

    @Test
    void rejectsShortArrays() {
        float[] x = new float[25], w = new float[9], y = new float[25], work = new float[DirectConv.workLength(1, 5, 5, 1)];
        assertRejects("short x", () -> DirectConv.forward(new float[24], 0, 1, 5, 5, 3, 1, w, 0, 1, null, 0, false, y, 0, work), "x:");
        assertRejects("short y", () -> DirectConv.forward(x, 0, 1, 5, 5, 3, 1, w, 0, 1, null, 0, false, new float[24], 0, work), "y:");
        assertRejects("short weight", () -> DirectConv.forward(x, 0, 1, 5, 5, 3, 1, new float[8], 0, 1, null, 0, false, y, 0, work), "weight:");
        if (work.length > 10) { // the plain-Java kernel needs no work plane
            assertRejects("short work", () -> DirectConv.forward(x, 0, 1, 5, 5, 3, 1, w, 0, 1, null, 0, false, y, 0, new float[10]), "work:");
        }
        assertRejects("kernel too large", () -> DirectConv.forward(x, 0, 1, 5, 5, 9, 1, w, 0, 1, null, 0, false, y, 0, work), "kernel 9");
    }
}
