package org.panamacnn.simd;

/**
 * A transposed convolution of NHWC images, for inference, as a gather: output pixel (oy, ox) of
 * channel co is b[co] + Σ over the taps (u, v) with oy + p − u = iy·s and ox + p − v = ix·s inside
 * the input, of Σ_ci x[iy, ix, ci]·W[ci, co, u, v] — each output reads only its own taps, so no
 * two threads write one pixel and nothing is scattered. Weights packed once ({@link #pack}) as
 * [u][v][ci][co], so one tap and input channel give a contiguous row of output channels: vectors
 * over co ({@link VectorNhwcConvTranspose}), the rest in plain Java ({@link ScalarNhwcConvTranspose})
 * with the same fused multiply-adds in the same order, so the twins give the same bits.
 */
public final class NhwcConvTranspose {
    private NhwcConvTranspose() {}

    /** PyTorch's weight [cin, cout, k, k] as [k, k, cin, cout]. */
    public static float[] pack(float[] weight, int cin, int cout, int k) {
        Checks.range("weight", weight, 0, (long) cin * cout * k * k);
        float[] packed = new float[cin * cout * k * k];
        for (int ci = 0; ci < cin; ci++) {
            for (int co = 0; co < cout; co++) {
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) packed[((u * k + v) * cin + ci) * cout + co] = weight[((ci * cout + co) * k + u) * k + v];
                }
            }
        }
        return packed;
    }

    /**
     * Output rows [rowFrom, rowTo) of image n: out[outMap.at(n, oy, ox) + co] for co &lt; cout from
     * in[inMap.at(n, iy, ix) + ci], ci &lt; cin, of an h×w input. Writes out.
     */
    public static void forward(float[] in, PixelMap inMap, int h, int w, int cin, float[] packed, float[] bias, int cout,
                               int k, int stride, int pad, float[] out, PixelMap outMap, int n, int rowFrom, int rowTo, int ow) {
        Checks.positive("input channels", cin);
        Checks.positive("output channels", cout);
        Checks.positive("stride", stride);
        Checks.range("packed weights", packed, 0, (long) k * k * cin * cout);
        Checks.range("bias", bias, 0, cout);
        if (KernelProvider.VECTORIZED) {
            VectorNhwcConvTranspose.forward(in, inMap, h, w, cin, packed, bias, cout, k, stride, pad, out, outMap, n, rowFrom, rowTo, ow);
        } else {
            ScalarNhwcConvTranspose.forward(in, inMap, h, w, cin, packed, bias, cout, k, stride, pad, out, outMap, n, rowFrom, rowTo, ow, 0);
        }
    }

    /** The first tap u ≥ 0 with (o + pad − u) divisible by stride. */
    static int firstTap(int o, int stride, int pad) {
        return Math.floorMod(o + pad, stride);
    }
}
