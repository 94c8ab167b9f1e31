package org.panamacnn.simd;

import static org.panamacnn.simd.TestSupport.abs;
import static org.panamacnn.simd.TestSupport.assertAllClose;
import static org.panamacnn.simd.TestSupport.assertRejects;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.floatTol;
import static org.panamacnn.simd.TestSupport.randomArray;
import static org.panamacnn.simd.TestSupport.toDouble;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panamacnn.oracle.OracleConv2d;

/**
 * {@link ConvWeightGradient} against the oracle's weight gradient: 1–3 input channels, output
 * channel counts odd and even (the blocks take 2 on 512-bit vectors), kernels 1–5 (kernels that are
 * not a whole number of 3×3 blocks), padding 0–2, rows of exactly a vector and with ragged
 * tails, one image and several; rows narrower than a vector are refused with a message.
 */
class ConvWeightGradientTest {

    @ParameterizedTest(name = "n={0} cin={1} cout={2} {3}x{4} k={5} p={6}")
    @CsvSource({
        // n, cin, cout, h, w, k, pad
        "8, 1, 32, 28, 28, 3, 1",
        "3, 1, 32, 16, 16, 3, 1",
        "2, 2, 3, 20, 17, 3, 0",
        "3, 3, 7, 13, 11, 3, 1",
        "2, 1, 5, 9, 17, 5, 2",
        "1, 2, 9, 6, 5, 3, 0",
        "2, 3, 4, 5, 3, 3, 1",
        "1, 1, 3, 8, 8, 1, 0",
        "2, 3, 6, 16, 16, 3, 2",
        "1, 1, 1, 4, 4, 3, 1",
        "2, 3, 16, 32, 32, 3, 1",
        "3, 1, 6, 18, 18, 4, 1",
        "1, 2, 5, 10, 34, 2, 0",
        "2, 3, 5, 12, 40, 5, 1",
    })
    void equalsTheOracle(int n, int cin, int cout, int h, int w, int k, int pad) {
        String shape = String.format("weight gradient n=%d cin=%d cout=%d h=%d w=%d k=%d pad=%d", n, cin, cout, h, w, k, pad);
        Random rnd = new Random(Arrays.hashCode(new int[] {n, cin, cout, h, w, k, pad}));
        int oh = Im2Col.outSize(h, k, 1, pad), ow = Im2Col.outSize(w, k, 1, pad);
        if (!ConvWeightGradient.supports(w, k, pad)) { // rows narrower than this machine's vectors: refused, by name
            assertRejects(shape, () -> ConvWeightGradient.compute(n, new float[n * cin * h * w], 0, cin, h, w, k, pad,
                    new float[n * cout * oh * ow], 0, cout, new float[cout * cin * k * k], 0,
                    new float[ConvWeightGradient.workLength(n, cin, h, w, k, pad)]), "narrower than a vector");
            return;
        }
        float[] x = randomArray(rnd, 3 + n * cin * h * w), dz = randomArray(rnd, 5 + n * cout * oh * ow);
        float[] work = new float[ConvWeightGradient.workLength(n, cin, h, w, k, pad) + 7];
        Arrays.fill(work, Float.NaN); // borders and slack must be written, not assumed
        float[] dw = new float[2 + cout * cin * k * k];
        Arrays.fill(dw, Float.NaN); // overwritten, not accumulated
        ConvWeightGradient.compute(n, x, 3, cin, h, w, k, pad, dz, 5, cout, dw, 2, work);

        double[] xd = toDouble(Arrays.copyOfRange(x, 3, x.length)), dzd = toDouble(Arrays.copyOfRange(dz, 5, dz.length));
        double[] ref = OracleConv2d.gradWeight(xd, n, cin, h, w, dzd, cout, k, k, 1, pad);
        double[] mag = OracleConv2d.gradWeight(abs(xd), n, cin, h, w, abs(dzd), cout, k, k, 1, pad);
        double[] tol = new double[mag.length];
        for (int i = 0; i < tol.length; i++) tol[i] = floatTol(n * oh * ow) * mag[i] + Float.MIN_NORMAL;
        assertAllClose(shape, ref, Arrays.copyOfRange(dw, 2, dw.length), 0, tol);
        for (int i = 0; i < 2; i++) assertSameBits(shape + " leaves dw before its offset", Float.NaN, dw[i]);
    }

    @Test
    void rejectsBadArguments() {
        float[] x = new float[400], dz = new float[400], dw = new float[9], work = new float[ConvWeightGradient.workLength(1, 1, 20, 20, 3, 1)];
        assertRejects("short x", () -> ConvWeightGradient.compute(1, new float[399], 0, 1, 20, 20, 3, 1, dz, 0, 1, dw, 0, work), "x:");
        assertRejects("short dz", () -> ConvWeightGradient.compute(1, x, 0, 1, 20, 20, 3, 1, new float[399], 0, 1, dw, 0, work), "dz:");
        assertRejects("short dw", () -> ConvWeightGradient.compute(1, x, 0, 1, 20, 20, 3, 1, dz, 0, 1, new float[8], 0, work), "dw:");
        if (work.length > 10) { // the plain-Java kernel needs no work array
            assertRejects("short work", () -> ConvWeightGradient.compute(1, x, 0, 1, 20, 20, 3, 1, dz, 0, 1, dw, 0, new float[10]), "work:");
        }
        assertRejects("kernel too large", () -> ConvWeightGradient.compute(1, x, 0, 1, 20, 20, 23, 1, dz, 0, 1, dw, 0, work), "kernel 23");
    }
}
