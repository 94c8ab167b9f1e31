package org.panamacnn.simd;

/**
 * A convolution's (or dense layer's) weights packed once for {@link NhwcConv}: immutable, so one
 * instance serves any number of threads. Output channels are cut into panels of
 * {@link NhwcConv#NR}; panel q holds, for every reduction index k = tap·cinStride + ci, the NR
 * weights W[q·NR .. q·NR+NR, ci, u, v] side by side ([panel][k][NR]), zero past the real output
 * and input channels. The bias is padded to whole panels the same way.
 */
public final class ConvWeights {
    final float[] packed;
    final float[] bias;
    /** Offset of tap (u, v) from the window's top-left pixel in the input buffer: u·rowFloats + v·cinStride. */
    final int[] taps;
    /** Offset of reduction index k = tap·cinStride + ci from the window corner: taps[tap] + ci. */
    final int[] kOffsets;
    final int cinStride, panels, outChannels;
    final boolean relu;

    /**
     * Packs w, laid out as PyTorch's Conv2d weight [cout, cin, kh, kw], and its bias. The input
     * buffer holds cinStride ≥ cin floats per pixel and rowFloats floats per image row (padding
     * included). With relu, the output is max(z, 0).
     */
    public ConvWeights(float[] w, float[] bias, int cout, int cin, int kh, int kw, int cinStride, int rowFloats,
                       boolean relu) {
        Checks.positive("output channels", cout);
        Checks.positive("input channels", cin);
        Checks.positive("kernel height", kh);
        Checks.positive("kernel width", kw);
        if (cinStride < cin) throw new IllegalArgumentException("channel stride " + cinStride + " < channels " + cin);
        Checks.range("weights", w, 0, (long) cout * cin * kh * kw);
        Checks.range("bias", bias, 0, cout);
        int nr = NhwcConv.NR;
        this.outChannels = cout;
        this.panels = (cout + nr - 1) / nr;
        this.cinStride = cinStride;
        this.relu = relu;
        this.taps = new int[kh * kw];
        for (int u = 0; u < kh; u++) for (int v = 0; v < kw; v++) taps[u * kw + v] = u * rowFloats + v * cinStride;
        int k = kh * kw * cinStride;
        this.kOffsets = new int[k];
        for (int kk = 0; kk < k; kk++) kOffsets[kk] = taps[kk / cinStride] + kk % cinStride;
        for (int i = 0; i < cout * cin * kh * kw; i++) {
            if (!Float.isFinite(w[i])) throw new IllegalArgumentException("weight " + i + " is " + w[i] + "; weights must be finite");
        }
        for (int i = 0; i < cout; i++) {
            if (!Float.isFinite(bias[i])) throw new IllegalArgumentException("bias " + i + " is " + bias[i] + "; weights must be finite");
        }
        this.packed = new float[Math.multiplyExact(panels * nr, k)];
        this.bias = new float[panels * nr];
        System.arraycopy(bias, 0, this.bias, 0, cout);
        for (int co = 0; co < cout; co++) {
            int panel = co / nr, lane = co % nr;
            for (int ci = 0; ci < cin; ci++) {
                for (int u = 0; u < kh; u++) {
                    for (int v = 0; v < kw; v++) {
                        int kk = (u * kw + v) * cinStride + ci;
                        packed[(panel * k + kk) * nr + lane] = w[((co * cin + ci) * kh + u) * kw + v];
                    }
                }
            }
        }
    }

    /** Output channels rounded up to whole panels: the channel stride a full-panel store needs. */
    public int paddedOutChannels() {
        return paddedChannels(outChannels);
    }

    /** count rounded up to whole panels of {@link NhwcConv#NR}. */
    public static int paddedChannels(int count) {
        return (count + NhwcConv.NR - 1) / NhwcConv.NR * NhwcConv.NR;
    }

    public int panels() {
        return panels;
    }

    /** Floats of weights and bias held. */
    public long floats() {
        return packed.length + (long) bias.length;
    }
}
