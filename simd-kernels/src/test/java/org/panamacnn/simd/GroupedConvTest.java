package org.panamacnn.simd;

import static org.panamacnn.simd.TestSupport.assertAllClose;
import static org.panamacnn.simd.TestSupport.assertUnchangedOutside;
import static org.panamacnn.simd.TestSupport.floatTol;
import static org.panamacnn.simd.TestSupport.guarded;
import static org.panamacnn.simd.TestSupport.pick;
import static org.panamacnn.simd.TestSupport.randomArray;
import static org.panamacnn.simd.TestSupport.randomOffset;
import static org.panamacnn.simd.TestSupport.toDouble;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleGroupedConv2d;

/**
 * {@link GroupedConv} (whichever family runs: the kernels-scalar execution runs this on
 * {@link ScalarGroupedConv}) against {@link OracleGroupedConv2d} on random odd shapes: depthwise,
 * grouped and G = 1, strides 1–3, padding up to k − 1, rows around the vector length, regions at
 * odd offsets with guards after them.
 */
class GroupedConvTest {

    /** A random layer: depthwise half the time, else 1–3 groups of 1–3 input and 1–3 output channels. */
    private static GroupedConv.Shape randomShape(Random rnd) {
        int groups = 1 + rnd.nextInt(3), cinG = rnd.nextBoolean() ? 1 : 1 + rnd.nextInt(3), coutG = rnd.nextBoolean() ? 1 : 1 + rnd.nextInt(3);
        int k = pick(rnd, 1, 2, 3, 5), stride = pick(rnd, 1, 1, 2, 3), pad = rnd.nextInt(k);
        int l = TestSupport.LANES;
        int w = Math.max(1, pick(rnd, 1, 3, l - 1, l, l + 1, 2 * l + 3) + rnd.nextInt(3)), h = 1 + rnd.nextInt(9);
        w = Math.max(w, k - 2 * pad);
        h = Math.max(h, k - 2 * pad);
        return GroupedConv.Shape.of(groups * cinG, h, w, groups, groups * coutG, k, stride, pad);
    }

    private static String describe(GroupedConv.Shape s) {
        return "cin " + s.cin() + " " + s.h() + "×" + s.w() + " G" + s.groups() + " cout " + s.cout() + " k" + s.k() + " s" + s.stride() + " p" + s.pad();
    }

    /** Per output: tolerance for a sum of `terms` products, scaled by the sum of their magnitudes. */
    private static double[] tolerance(double[] absSum, int terms) {
        double[] t = new double[absSum.length];
        for (int i = 0; i < t.length; i++) t[i] = floatTol(terms) * absSum[i] + 1e-30;
        return t;
    }

    @RepeatedTest(40)
    void forwardMatchesTheOracle(RepetitionInfo rep) {
        Random rnd = new Random(rep.getCurrentRepetition() * 31L);
        GroupedConv.Shape s = randomShape(rnd);
        int in = s.cin() * s.h() * s.w(), out = s.cout() * s.oh() * s.ow();
        int xOff = randomOffset(rnd), wOff = randomOffset(rnd), zOff = randomOffset(rnd);
        float[] x = guarded(rnd, xOff, in), wt = guarded(rnd, wOff, s.weightSize()), z = guarded(rnd, zOff, out);
        float[] bias = rnd.nextBoolean() ? randomArray(rnd, s.cout()) : null, zBefore = z.clone();
        GroupedConv.forward(s, x, xOff, wt, wOff, bias, z, zOff);
        double[] xd = toDouble(x, xOff, in), wd = toDouble(wt, wOff, s.weightSize()), bd = bias == null ? null : toDouble(bias);
        double[] expected = OracleGroupedConv2d.forward(xd, 1, s.cin(), s.h(), s.w(), wd, s.cout(), s.k(), bd, s.stride(), s.pad(), s.groups());
        double[] absSum = OracleGroupedConv2d.forward(TestSupport.abs(xd), 1, s.cin(), s.h(), s.w(), TestSupport.abs(wd), s.cout(), s.k(),
                bd == null ? null : TestSupport.abs(bd), s.stride(), s.pad(), s.groups());
        String ctx = "forward " + describe(s);
        assertAllClose(ctx, expected, z, zOff, tolerance(absSum, s.cin() / s.groups() * s.k() * s.k() + 1));
        assertUnchangedOutside(ctx, zBefore, z, zOff, zOff + out);
    }

    @RepeatedTest(40)
    void weightGradientAccumulatesTheOracles(RepetitionInfo rep) {
        Random rnd = new Random(rep.getCurrentRepetition() * 37L);
        GroupedConv.Shape s = randomShape(rnd);
        int in = s.cin() * s.h() * s.w(), out = s.cout() * s.oh() * s.ow();
        int xOff = randomOffset(rnd), zOff = randomOffset(rnd), wOff = randomOffset(rnd);
        float[] x = guarded(rnd, xOff, in), dz = guarded(rnd, zOff, out), dw = guarded(rnd, wOff, s.weightSize()), dwBefore = dw.clone();
        GroupedConv.accumulateWeightGradient(s, x, xOff, dz, zOff, dw, wOff);
        double[] xd = toDouble(x, xOff, in), dzd = toDouble(dz, zOff, out);
        double[] expected = OracleGroupedConv2d.gradWeight(xd, 1, s.cin(), s.h(), s.w(), dzd, s.cout(), s.k(), s.stride(), s.pad(), s.groups());
        double[] absSum = OracleGroupedConv2d.gradWeight(TestSupport.abs(xd), 1, s.cin(), s.h(), s.w(), TestSupport.abs(dzd), s.cout(), s.k(),
                s.stride(), s.pad(), s.groups());
        for (int i = 0; i < expected.length; i++) {
            expected[i] += dwBefore[wOff + i];
            absSum[i] += Math.abs(dwBefore[wOff + i]);
        }
        String ctx = "weight gradient " + describe(s);
        assertAllClose(ctx, expected, dw, wOff, tolerance(absSum, s.oh() * s.ow() + 1));
        assertUnchangedOutside(ctx, dwBefore, dw, wOff, wOff + s.weightSize());
    }

    @RepeatedTest(40)
    void inputGradientMatchesTheOracle(RepetitionInfo rep) {
        Random rnd = new Random(rep.getCurrentRepetition() * 41L);
        GroupedConv.Shape s = randomShape(rnd);
        int in = s.cin() * s.h() * s.w(), out = s.cout() * s.oh() * s.ow();
        int zOff = randomOffset(rnd), wOff = randomOffset(rnd), xOff = randomOffset(rnd);
        float[] dz = guarded(rnd, zOff, out), wt = guarded(rnd, wOff, s.weightSize()), dx = guarded(rnd, xOff, in), dxBefore = dx.clone();
        GroupedConv.inputGradient(s, dz, zOff, wt, wOff, dx, xOff);
        double[] dzd = toDouble(dz, zOff, out), wd = toDouble(wt, wOff, s.weightSize());
        double[] expected = OracleGroupedConv2d.gradInput(dzd, 1, s.cout(), s.oh(), s.ow(), wd, s.cin(), s.h(), s.w(), s.k(), s.stride(), s.pad(), s.groups());
        double[] absSum = OracleGroupedConv2d.gradInput(TestSupport.abs(dzd), 1, s.cout(), s.oh(), s.ow(), TestSupport.abs(wd), s.cin(), s.h(), s.w(),
                s.k(), s.stride(), s.pad(), s.groups());
        String ctx = "input gradient " + describe(s);
        assertAllClose(ctx, expected, dx, xOff, tolerance(absSum, s.cout() / s.groups() * s.k() * s.k()));
        assertUnchangedOutside(ctx, dxBefore, dx, xOff, xOff + in);
    }

    /**
     * With the Vector API loaded (every execution but a JVM without the module), the two families
     * side by side: axpy and scatter give the same bits, dot the same sum within its rounding.
     */
    @Test
    void theTwinsAgree() {
        if (!KernelProvider.vectorApiLoaded()) return;
        Random rnd = new Random(43);
        for (int n : TestSupport.raggedSizes()) {
            for (int stride = 1; stride <= 3; stride++) {
                int xOff = randomOffset(rnd), yOff = randomOffset(rnd);
                float a = TestSupport.uniform(rnd, -2f, 2f);
                float[] x = guarded(rnd, xOff, n * stride), y = guarded(rnd, yOff, n * stride);
                float[] yv = y.clone(), ys = y.clone();
                VectorGroupedConv.axpy(n, a, x, xOff, stride, yv, yOff);
                ScalarGroupedConv.axpy(n, a, x, xOff, stride, ys, yOff);
                TestSupport.assertSameBits("axpy n " + n + " stride " + stride, yv, ys);
                yv = y.clone();
                ys = y.clone();
                VectorGroupedConv.scatter(n, a, x, xOff, yv, yOff, stride);
                ScalarGroupedConv.scatter(n, a, x, xOff, ys, yOff, stride);
                TestSupport.assertSameBits("scatter n " + n + " stride " + stride, yv, ys);
                double abs = 0;
                for (int j = 0; j < n; j++) abs += Math.abs(y[yOff + j] * x[xOff + j * stride]);
                TestSupport.assertClose("dot n " + n + " stride " + stride, VectorGroupedConv.dot(n, y, yOff, x, xOff, stride),
                        ScalarGroupedConv.dot(n, y, yOff, x, xOff, stride), 2 * floatTol(n) * abs + 1e-30);
            }
        }
    }
}
