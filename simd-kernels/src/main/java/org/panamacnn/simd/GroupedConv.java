package org.panamacnn.simd;

import java.util.Arrays;

/**
 * Grouped convolution (PyTorch's Conv2d(groups=G); depthwise when G = cin) of one NCHW image,
 * computed directly: with cinG = cin / G input and coutG = cout / G output channels per group,
 * output channel co of group g = co / coutG reads input channels g·cinG .. (g+1)·cinG:
 * <pre>
 * forward:  z[co,i,j] = b[co] + Σ_{c&lt;cinG, u, v} W[co,c,u,v]·x[g·cinG + c, i·s+u−p, j·s+v−p]   (x = 0 outside)
 * weight:   δW[co,c,u,v] += Σ_{i,j} δz[co,i,j]·x[g·cinG + c, i·s+u−p, j·s+v−p]
 * input:    δx[g·cinG + c, r, q] = Σ_{co in g, u, v, i·s+u−p = r, j·s+v−p = q} W[co,c,u,v]·δz[co,i,j]
 * </pre>
 * Each (channel pair, tap) is a pass over output rows: y[j] += a·x[j·s + off] for the columns j whose
 * input column is inside the image, vectorised when s = 1 ({@link VectorGroupedConv}) or in plain
 * Java ({@link ScalarGroupedConv}). im2col + GEMM is the wrong algorithm for depthwise layers (a GEMM
 * with K = k² does little work per byte moved); this is memory-bound either way.
 */
public final class GroupedConv {
    private GroupedConv() {}

    /** The geometry of one layer, checked once. */
    public record Shape(int cin, int h, int w, int groups, int cout, int k, int stride, int pad, int oh, int ow) {
        public static Shape of(int cin, int h, int w, int groups, int cout, int k, int stride, int pad) {
            Checks.positive("input channels", cin);
            Checks.positive("groups", groups);
            Checks.positive("output channels", cout);
            Checks.positive("kernel", k);
            Checks.positive("stride", stride);
            Checks.nonNegative("padding", pad);
            if (cin % groups != 0 || cout % groups != 0) {
                throw new IllegalArgumentException("groups " + groups + " must divide input channels " + cin + " and output channels " + cout);
            }
            if (h + 2 * pad < k || w + 2 * pad < k) {
                throw new IllegalArgumentException("a " + k + "×" + k + " kernel does not fit a " + h + "×" + w + " input with padding " + pad);
            }
            return new Shape(cin, h, w, groups, cout, k, stride, pad, (h + 2 * pad - k) / stride + 1, (w + 2 * pad - k) / stride + 1);
        }

        int cinG() {
            return cin / groups;
        }

        int coutG() {
            return cout / groups;
        }

        /** Floats of the weight [cout, cin/G, k, k]. */
        public int weightSize() {
            return cout * cinG() * k * k;
        }

        /** First output column whose input column j·s + v − p is ≥ 0. */
        int firstColumn(int v) {
            return Math.max(0, Math.ceilDiv(pad - v, stride));
        }

        /** One past the last output column whose input column is &lt; w. */
        int endColumn(int v) {
            return Math.min(ow, Math.floorDiv(w - 1 + pad - v, stride) + 1);
        }
    }

    /** z = the convolution of image x (bias may be null: none). Writes z[zOff .. zOff + cout·oh·ow). */
    public static void forward(Shape s, float[] x, int xOff, float[] wt, int wOff, float[] bias, float[] z, int zOff) {
        check(s, x, xOff, wt, wOff, z, zOff);
        int plane = s.oh * s.ow, k = s.k, cinG = s.cinG(), coutG = s.coutG();
        for (int co = 0; co < s.cout; co++) {
            int zp = zOff + co * plane;
            Arrays.fill(z, zp, zp + plane, bias == null ? 0f : bias[co]);
            int g = co / coutG;
            for (int c = 0; c < cinG; c++) {
                int xp = xOff + (g * cinG + c) * s.h * s.w, wp = wOff + (co * cinG + c) * k * k;
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        float a = wt[wp + u * k + v];
                        int j0 = s.firstColumn(v), j1 = s.endColumn(v);
                        if (j0 >= j1) continue;
                        for (int i = 0; i < s.oh; i++) {
                            int r = i * s.stride + u - s.pad;
                            if (r < 0 || r >= s.h) continue;
                            axpy(j1 - j0, a, x, xp + r * s.w + j0 * s.stride + v - s.pad, s.stride, z, zp + i * s.ow + j0);
                        }
                    }
                }
            }
        }
    }

    /** δW += the weight gradient of image x for output gradient dz. Accumulates into dw[dwOff ..]. */
    public static void accumulateWeightGradient(Shape s, float[] x, int xOff, float[] dz, int dzOff, float[] dw, int dwOff) {
        check(s, x, xOff, dw, dwOff, dz, dzOff);
        int plane = s.oh * s.ow, k = s.k, cinG = s.cinG(), coutG = s.coutG();
        for (int co = 0; co < s.cout; co++) {
            int zp = dzOff + co * plane, g = co / coutG;
            for (int c = 0; c < cinG; c++) {
                int xp = xOff + (g * cinG + c) * s.h * s.w, wp = dwOff + (co * cinG + c) * k * k;
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        int j0 = s.firstColumn(v), j1 = s.endColumn(v);
                        if (j0 >= j1) continue;
                        float sum = 0f;
                        for (int i = 0; i < s.oh; i++) {
                            int r = i * s.stride + u - s.pad;
                            if (r < 0 || r >= s.h) continue;
                            sum += dot(j1 - j0, dz, zp + i * s.ow + j0, x, xp + r * s.w + j0 * s.stride + v - s.pad, s.stride);
                        }
                        dw[wp + u * k + v] += sum;
                    }
                }
            }
        }
    }

    /** δx of image x for output gradient dz. Writes dx[dxOff .. dxOff + cin·h·w). */
    public static void inputGradient(Shape s, float[] dz, int dzOff, float[] wt, int wOff, float[] dx, int dxOff) {
        check(s, dx, dxOff, wt, wOff, dz, dzOff);
        int plane = s.oh * s.ow, k = s.k, cinG = s.cinG(), coutG = s.coutG();
        Arrays.fill(dx, dxOff, dxOff + s.cin * s.h * s.w, 0f);
        for (int co = 0; co < s.cout; co++) {
            int zp = dzOff + co * plane, g = co / coutG;
            for (int c = 0; c < cinG; c++) {
                int xp = dxOff + (g * cinG + c) * s.h * s.w, wp = wOff + (co * cinG + c) * k * k;
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        float a = wt[wp + u * k + v];
                        int j0 = s.firstColumn(v), j1 = s.endColumn(v);
                        if (j0 >= j1) continue;
                        for (int i = 0; i < s.oh; i++) {
                            int r = i * s.stride + u - s.pad;
                            if (r < 0 || r >= s.h) continue;
                            scatter(j1 - j0, a, dz, zp + i * s.ow + j0, dx, xp + r * s.w + j0 * s.stride + v - s.pad, s.stride);
                        }
                    }
                }
            }
        }
    }

    /** y[yOff + j] += a·x[xOff + j·stride] for j &lt; n. */
    private static void axpy(int n, float a, float[] x, int xOff, int stride, float[] y, int yOff) {
        if (KernelProvider.VECTORIZED) VectorGroupedConv.axpy(n, a, x, xOff, stride, y, yOff);
        else ScalarGroupedConv.axpy(n, a, x, xOff, stride, y, yOff);
    }

    /** y[yOff + j·stride] += a·x[xOff + j] for j &lt; n. */
    private static void scatter(int n, float a, float[] x, int xOff, float[] y, int yOff, int stride) {
        if (KernelProvider.VECTORIZED) VectorGroupedConv.scatter(n, a, x, xOff, y, yOff, stride);
        else ScalarGroupedConv.scatter(n, a, x, xOff, y, yOff, stride);
    }

    /** Σ_j a[aOff + j]·b[bOff + j·stride] for j &lt; n. */
    private static float dot(int n, float[] a, int aOff, float[] b, int bOff, int stride) {
        return KernelProvider.VECTORIZED ? VectorGroupedConv.dot(n, a, aOff, b, bOff, stride) : ScalarGroupedConv.dot(n, a, aOff, b, bOff, stride);
    }

    private static void check(Shape s, float[] x, int xOff, float[] wt, int wOff, float[] z, int zOff) {
        Checks.range("input", x, xOff, (long) s.cin * s.h * s.w);
        Checks.range("weight", wt, wOff, s.weightSize());
        Checks.range("output", z, zOff, (long) s.cout * s.oh * s.ow);
    }
}
