package org.panamacnn.simd;

import static org.panamacnn.simd.TestSupport.abs;
import static org.panamacnn.simd.TestSupport.assertAllClose;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.floatTol;
import static org.panamacnn.simd.TestSupport.randomArray;
import static org.panamacnn.simd.TestSupport.toDouble;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panamacnn.oracle.OracleConv2d;

/**
 * The whole convolution math at kernel level: im2col + GEMM (+ Bias) against the direct
 * convolution of {@link OracleConv2d}, per image of a batch:
 * <pre>
 * Z_n  = W · im2col(X_n) + b            (W is [cout, cin·kh·kw])
 * δW   = Σ_n δZ_n · im2col(X_n)ᵀ        δb = Σ_n rowsums(δZ_n)
 * δX_n = col2im(Wᵀ · δZ_n)
 * </pre>
 * Tolerances scale with the same sums taken over absolute values (the oracle run on |·|).
 */
class ConvLoweringTest {

    @ParameterizedTest(name = "n={0} cin={1} cout={2} {3}x{4} k={5} s={6} p={7}")
    @CsvSource({
        // n, cin, cout, h, w, k, stride, pad
        "2, 1, 4, 9, 9, 3, 1, 1",
        "2, 3, 5, 13, 7, 5, 2, 2",
        "1, 4, 6, 8, 11, 3, 3, 0",
        "3, 3, 8, 28, 28, 3, 1, 1",
        "2, 1, 16, 7, 9, 1, 1, 0",
        "2, 4, 3, 9, 13, 5, 3, 1",
        "1, 32, 64, 14, 14, 3, 1, 1",
    })
    void forwardAndBothBackwardProductsEqualTheDirectConvolution(int n, int cin, int cout, int h, int w,
                                                                  int k, int stride, int pad) {
        String shape = String.format("conv n=%d cin=%d cout=%d h=%d w=%d k=%d stride=%d pad=%d",
                n, cin, cout, h, w, k, stride, pad);
        Random rnd = new Random(Arrays.hashCode(new int[] {n, cin, cout, h, w, k, stride, pad}));
        int oh = Im2Col.outSize(h, k, stride, pad), ow = Im2Col.outSize(w, k, stride, pad);
        int plane = oh * ow, kk = cin * k * k, img = cin * h * w, outImg = cout * plane;

        float[] x = randomArray(rnd, n * img);
        float[] weight = randomArray(rnd, cout * kk);
        float[] bias = randomArray(rnd, cout);
        float[] dz = randomArray(rnd, n * outImg);
        double[] xd = toDouble(x), wd = toDouble(weight), bd = toDouble(bias), dzd = toDouble(dz);

        float[] cols = new float[kk * plane];
        float[] z = new float[n * outImg];
        Arrays.fill(z, Float.NaN); // GEMM with β = 0 must overwrite it
        float[] zFused = z.clone();
        float[] dw = new float[cout * kk];
        float[] db = new float[cout];
        float[] dcols = new float[kk * plane];
        float[] dx = new float[n * img];
        Arrays.fill(dx, Float.NaN); // col2im must overwrite it

        for (int b = 0; b < n; b++) {
            Im2Col.im2col(x, b * img, cin, h, w, k, k, stride, pad, cols, 0);
            // forward
            Gemm.gemm(false, false, cout, plane, kk, 1f, weight, 0, kk, cols, 0, plane, 0f, z, b * outImg, plane);
            Bias.addPerRow(cout, plane, bias, 0, z, b * outImg);
            // the same with the bias fused into the GEMM's epilogue: the same float operations, the same bits
            Gemm.gemm(false, false, cout, plane, kk, 1f, weight, 0, kk, cols, 0, plane, 0f, zFused, b * outImg, plane,
                    GemmEpilogue.rowBias(bias, 0, false), GemmWorkspace.forCurrentThread(), TaskRunner.SERIAL);
            // δW (+)= δZ_b · colsᵀ, δb += row sums of δZ_b
            Gemm.gemm(false, true, cout, kk, plane, 1f, dz, b * outImg, plane, cols, 0, plane, b == 0 ? 0f : 1f,
                    dw, 0, kk);
            Bias.sumRowsInto(cout, plane, dz, b * outImg, db, 0);
            // δX_b = col2im(Wᵀ · δZ_b)
            Gemm.gemm(true, false, kk, plane, cout, 1f, weight, 0, kk, dz, b * outImg, plane, 0f, dcols, 0, plane);
            Im2Col.col2im(dcols, 0, cin, h, w, k, k, stride, pad, dx, b * img);
        }

        double[] zRef = OracleConv2d.forward(xd, n, cin, h, w, wd, cout, k, k, bd, stride, pad);
        double[] zMag = OracleConv2d.forward(abs(xd), n, cin, h, w, abs(wd), cout, k, k, abs(bd), stride, pad);
        assertAllClose(shape + " forward z", zRef, z, 0, scaled(zMag, floatTol(kk + 1)));
        assertSameBits(shape + " forward z, bias in the GEMM epilogue", z, zFused);

        double[] dwRef = OracleConv2d.gradWeight(xd, n, cin, h, w, dzd, cout, k, k, stride, pad);
        double[] dwMag = OracleConv2d.gradWeight(abs(xd), n, cin, h, w, abs(dzd), cout, k, k, stride, pad);
        assertAllClose(shape + " gradWeight", dwRef, dw, 0, scaled(dwMag, floatTol(n * plane)));

        double[] dbRef = OracleConv2d.gradBias(dzd, n, cout, oh, ow);
        double[] dbMag = OracleConv2d.gradBias(abs(dzd), n, cout, oh, ow);
        assertAllClose(shape + " gradBias", dbRef, db, 0, scaled(dbMag, floatTol(n * plane)));

        double[] dxRef = OracleConv2d.gradInput(dzd, n, cout, oh, ow, wd, cin, h, w, k, k, stride, pad);
        double[] dxMag = OracleConv2d.gradInput(abs(dzd), n, cout, oh, ow, abs(wd), cin, h, w, k, k, stride, pad);
        assertAllClose(shape + " gradInput", dxRef, dx, 0, scaled(dxMag, floatTol(cout * k * k)));
    }

    /** tol[i] = factor·mag[i] plus the smallest normal float, so exact zeros compare exactly. */
    private static double[] scaled(double[] mag, double factor) {
        double[] t = new double[mag.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = factor * mag[i] + Float.MIN_NORMAL;
        }
        return t;
    }
}
