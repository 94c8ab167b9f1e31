package org.panamacnn.simd;

/**
 * {@link Winograd}'s input and output transforms in plain Java, channel by channel, with the
 * vector version's adds in the same order (arguments checked there).
 */
final class ScalarWinograd {
    private ScalarWinograd() {}

    /** V = Bᵀ d B for each channel c &lt; cv of each tile's 4×4 patch. Writes v. */
    static void inputTiles(float[] in, int corner, int rowFloats, int cs, int tilesW, int t0, int t1,
                           float[] v, int vOff, int plane, int cv) {
        int r1 = rowFloats, r2 = 2 * rowFloats, r3 = 3 * rowFloats;
        for (int t = t0; t < t1; t++) {
            int base = corner + (t / tilesW) * 2 * rowFloats + (t % tilesW) * 2 * cs, at = vOff + (t - t0) * cv;
            for (int c = 0; c < cv; c++) {
                int p0 = base + c, p1 = p0 + cs, p2 = p1 + cs, p3 = p2 + cs;
                // X = Bᵀ d, column by column: x0j = d0j − d2j, x1j = d1j + d2j, x2j = d2j − d1j, x3j = d1j − d3j
                float x00 = in[p0] - in[p0 + r2], x10 = in[p0 + r1] + in[p0 + r2], x20 = in[p0 + r2] - in[p0 + r1], x30 = in[p0 + r1] - in[p0 + r3];
                float x01 = in[p1] - in[p1 + r2], x11 = in[p1 + r1] + in[p1 + r2], x21 = in[p1 + r2] - in[p1 + r1], x31 = in[p1 + r1] - in[p1 + r3];
                float x02 = in[p2] - in[p2 + r2], x12 = in[p2 + r1] + in[p2 + r2], x22 = in[p2 + r2] - in[p2 + r1], x32 = in[p2 + r1] - in[p2 + r3];
                float x03 = in[p3] - in[p3 + r2], x13 = in[p3 + r1] + in[p3 + r2], x23 = in[p3 + r2] - in[p3 + r1], x33 = in[p3 + r1] - in[p3 + r3];
                // V = X B, row i: vi0 = xi0 − xi2, vi1 = xi1 + xi2, vi2 = xi2 − xi1, vi3 = xi1 − xi3 (position 4i + b)
                int q = at + c;
                v[q] = x00 - x02;
                v[plane + q] = x01 + x02;
                v[2 * plane + q] = x02 - x01;
                v[3 * plane + q] = x01 - x03;
                v[4 * plane + q] = x10 - x12;
                v[5 * plane + q] = x11 + x12;
                v[6 * plane + q] = x12 - x11;
                v[7 * plane + q] = x11 - x13;
                v[8 * plane + q] = x20 - x22;
                v[9 * plane + q] = x21 + x22;
                v[10 * plane + q] = x22 - x21;
                v[11 * plane + q] = x21 - x23;
                v[12 * plane + q] = x30 - x32;
                v[13 * plane + q] = x31 + x32;
                v[14 * plane + q] = x32 - x31;
                v[15 * plane + q] = x31 - x33;
            }
        }
    }

    /** Y = Aᵀ M A + bias, then max(·, floor) (0 for ReLU, −∞ for none), optionally 2×2 max-pooled. Writes out. */
    static void outputTiles(float[] m, int mOff, int plane, int kp, int tilesW, int t0, int t1, float[] bias, boolean relu,
                            boolean pool, float[] out, PixelMap outMap, int n) {
        float floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        for (int t = t0; t < t1; t++) {
            int ti = t / tilesW, tj = t % tilesW, at = mOff + (t - t0) * kp;
            int o00 = pool ? outMap.at(n, ti, tj) : outMap.at(n, 2 * ti, 2 * tj);
            int o01 = pool ? 0 : outMap.at(n, 2 * ti, 2 * tj + 1);
            int o10 = pool ? 0 : outMap.at(n, 2 * ti + 1, 2 * tj);
            int o11 = pool ? 0 : outMap.at(n, 2 * ti + 1, 2 * tj + 1);
            for (int k = 0; k < kp; k++) {
                int q = at + k;
                // Aᵀ M per column j: u_j = m0j + m1j + m2j, w_j = m1j − m2j − m3j
                float u0 = top(m, q, plane, 0), u1 = top(m, q, plane, 1), u2 = top(m, q, plane, 2), u3 = top(m, q, plane, 3);
                float w0 = bottom(m, q, plane, 0), w1 = bottom(m, q, plane, 1);
                float w2 = bottom(m, q, plane, 2), w3 = bottom(m, q, plane, 3);
                float b = bias[k];
                float y00 = Math.max(u0 + u1 + u2 + b, floor), y01 = Math.max(u1 - u2 - u3 + b, floor);
                float y10 = Math.max(w0 + w1 + w2 + b, floor), y11 = Math.max(w1 - w2 - w3 + b, floor);
                if (pool) {
                    out[o00 + k] = Math.max(Math.max(y00, y01), Math.max(y10, y11));
                } else {
                    out[o00 + k] = y00;
                    out[o01 + k] = y01;
                    out[o10 + k] = y10;
                    out[o11 + k] = y11;
                }
            }
        }
    }

    /** Row 0 of Aᵀ M in column j: m0j + m1j + m2j. */
    private static float top(float[] m, int q, int plane, int j) {
        return m[j * plane + q] + m[(4 + j) * plane + q] + m[(8 + j) * plane + q];
    }

    /** Row 1 of Aᵀ M in column j: m1j − m2j − m3j. */
    private static float bottom(float[] m, int q, int plane, int j) {
        return m[(4 + j) * plane + q] - m[(8 + j) * plane + q] - m[(12 + j) * plane + q];
    }
}
