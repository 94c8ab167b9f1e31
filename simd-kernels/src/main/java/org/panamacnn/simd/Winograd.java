package org.panamacnn.simd;

/**
 * Winograd F(2×2, 3×3) for a 3×3, stride-1 convolution over NHWC images (Lavin and Gray, 2015):
 * each 2×2 block of output pixels (a tile) is Y = Aᵀ [Σ_c U_c ⊙ V_c] A, where V_c = Bᵀ d_c B is
 * the tile's 4×4 input patch d_c of channel c transformed and U = G g Gᵀ the 3×3 filter g
 * transformed once. The Σ_c is, for each of the 16 positions ξ of the 4×4, a product
 * [tiles, cin] × [cin, cout]: 16 small GEMMs (run by the caller, e.g. {@link NhwcConv} as 1×1
 * convolutions) with 16·cin multiply-adds per tile and output channel instead of the direct
 * 4·9·cin: 2.25× fewer. The transforms here are adds only, vectorized over channels
 * ({@link VectorWinograd}) or plain Java ({@link ScalarWinograd}), as {@link KernelProvider} chose.
 * <pre>
 * Bᵀ = | 1  0 -1  0 |    G = | 1    0    0  |    Aᵀ = | 1  1  1  0 |
 *      | 0  1  1  0 |        | ½    ½    ½  |         | 0  1 -1 -1 |
 *      | 0 -1  1  0 |        | ½   -½    ½  |
 *      | 0  1  0 -1 |        | 0    0    1  |
 * </pre>
 * The extra rounding is small and bounded: the outputs differ from the direct sum by a few units
 * in the last place of the largest partial sums (WinogradTest states and tests the bound).
 */
public final class Winograd {
    private static final int L = KernelProvider.LANES;

    /** Positions of a transformed 4×4 tile. */
    public static final int POSITIONS = 16;

    private Winograd() {}

    /**
     * U[ξ][co][ci] = (G g Gᵀ)[ξ] for each filter g = w[co][ci] (PyTorch's [cout, cin, 3, 3]
     * layout), computed in double and rounded once. Returns 16 matrices of [cout, cin].
     */
    public static float[] transformFilters(float[] w, int cout, int cin) {
        Checks.positive("output channels", cout);
        Checks.positive("input channels", cin);
        Checks.range("weights", w, 0, (long) cout * cin * 9);
        double[][] g = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
        float[] u = new float[POSITIONS * cout * cin];
        double[] gg = new double[12];
        for (int co = 0; co < cout; co++) {
            for (int ci = 0; ci < cin; ci++) {
                int f = (co * cin + ci) * 9;
                for (int a = 0; a < 4; a++) { // gg = G·g : [4, 3]
                    for (int v = 0; v < 3; v++) {
                        gg[a * 3 + v] = g[a][0] * w[f + v] + g[a][1] * w[f + 3 + v] + g[a][2] * w[f + 6 + v];
                    }
                }
                for (int a = 0; a < 4; a++) { // (G·g)·Gᵀ : [4, 4]
                    for (int b = 0; b < 4; b++) {
                        double s = gg[a * 3] * g[b][0] + gg[a * 3 + 1] * g[b][1] + gg[a * 3 + 2] * g[b][2];
                        u[((a * 4 + b) * cout + co) * cin + ci] = (float) s;
                    }
                }
            }
        }
        return u;
    }

    /**
     * Transforms the input patches of tiles [t0, t1) of one image (tile t at tile row t / tilesW,
     * column t % tilesW) into v: V_c at v[vOff + ξ·plane + (t − t0)·cv + c] for c &lt; cv, cv
     * being `channels` rounded up to whole vectors and plane ≥ (t1 − t0)·cv. Whole vectors are
     * read, so the input's channel stride cs must be at least cv; lanes past `channels` carry
     * what the input's padding channels hold (zeros in this engine's buffers) and meet zero
     * filter weights. No masks and no branches on vectors: C2 keeps every vector in a register.
     * corner is the input offset of tile 0's patch (output pixel (0, 0)'s window: padding
     * included), rowFloats and cs the input's floats per row and per pixel. Writes v.
     */
    public static void inputTiles(float[] in, int corner, int rowFloats, int cs, int channels, int tilesW, int t0, int t1,
                                  float[] v, int vOff, int plane, int cv) {
        if (cv != tileChannels(channels)) throw new IllegalArgumentException("tile channel stride " + cv + " must be " + tileChannels(channels));
        if (cs < cv) throw new IllegalArgumentException("input channel stride " + cs + " < " + cv + ": whole vectors are read");
        if (plane < (t1 - t0) * cv) throw new IllegalArgumentException("position stride " + plane + " < " + (t1 - t0) + " tiles × " + cv);
        Checks.range("tiles", v, vOff, (long) POSITIONS * plane);
        if (KernelProvider.VECTORIZED) VectorWinograd.inputTiles(in, corner, rowFloats, cs, tilesW, t0, t1, v, vOff, plane, cv);
        else ScalarWinograd.inputTiles(in, corner, rowFloats, cs, tilesW, t0, t1, v, vOff, plane, cv);
    }

    /**
     * Y = Aᵀ M A + bias for tiles [t0, t1) of image n, from m (M_ξ of tile t at
     * m[mOff + ξ·plane + (t − t0)·kp + k], kp output channels per entry, a multiple of the vector
     * length), then max(·, 0) with relu. Without pool, tile (ti, tj) writes output pixels
     * (2ti + a, 2tj + b); with pool, the max of its four to pixel (ti, tj) (a 2×2 max-pool). Each
     * out pixel gets kp floats at outMap.at(n, i, j). Writes out.
     */
    public static void outputTiles(float[] m, int mOff, int plane, int kp, int tilesW, int t0, int t1, float[] bias, boolean relu,
                                   boolean pool, float[] out, PixelMap outMap, int n) {
        if (kp % L != 0) throw new IllegalArgumentException("output channel stride " + kp + " is not a multiple of " + L);
        if (plane < (t1 - t0) * kp) throw new IllegalArgumentException("position stride " + plane + " < " + (t1 - t0) + " tiles × " + kp);
        Checks.range("bias", bias, 0, kp);
        Checks.range("tile products", m, mOff, (long) POSITIONS * plane);
        if (KernelProvider.VECTORIZED) VectorWinograd.outputTiles(m, mOff, plane, kp, tilesW, t0, t1, bias, relu, pool, out, outMap, n);
        else ScalarWinograd.outputTiles(m, mOff, plane, kp, tilesW, t0, t1, bias, relu, pool, out, outMap, n);
    }

    /** The tile channel stride for c channels: c rounded up to whole vectors. */
    public static int tileChannels(int c) {
        return (c + L - 1) / L * L;
    }
}
