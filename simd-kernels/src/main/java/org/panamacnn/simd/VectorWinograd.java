package org.panamacnn.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link Winograd}'s input and output transforms with vectors over channels (arguments checked there). */
final class VectorWinograd {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private VectorWinograd() {}

    static void inputTiles(float[] in, int corner, int rowFloats, int cs, int tilesW, int t0, int t1,
                           float[] v, int vOff, int plane, int cv) {
        for (int t = t0; t < t1; t++) {
            int base = corner + (t / tilesW) * 2 * rowFloats + (t % tilesW) * 2 * cs, at = vOff + (t - t0) * cv;
            for (int c = 0; c < cv; c += L) {
                int p0 = base + c, p1 = p0 + cs, p2 = p1 + cs, p3 = p2 + cs;
                int r1 = rowFloats, r2 = 2 * rowFloats, r3 = 3 * rowFloats;
                // X = Bᵀ d, column j of the patch from its four rows: x0j = d0j − d2j, x1j = d1j + d2j, x2j = d2j − d1j, x3j = d1j − d3j
                FloatVector d00 = FloatVector.fromArray(F, in, p0), d10 = FloatVector.fromArray(F, in, p0 + r1);
                FloatVector d20 = FloatVector.fromArray(F, in, p0 + r2), d30 = FloatVector.fromArray(F, in, p0 + r3);
                FloatVector d01 = FloatVector.fromArray(F, in, p1), d11 = FloatVector.fromArray(F, in, p1 + r1);
                FloatVector d21 = FloatVector.fromArray(F, in, p1 + r2), d31 = FloatVector.fromArray(F, in, p1 + r3);
                FloatVector d02 = FloatVector.fromArray(F, in, p2), d12 = FloatVector.fromArray(F, in, p2 + r1);
                FloatVector d22 = FloatVector.fromArray(F, in, p2 + r2), d32 = FloatVector.fromArray(F, in, p2 + r3);
                FloatVector d03 = FloatVector.fromArray(F, in, p3), d13 = FloatVector.fromArray(F, in, p3 + r1);
                FloatVector d23 = FloatVector.fromArray(F, in, p3 + r2), d33 = FloatVector.fromArray(F, in, p3 + r3);
                FloatVector x00 = d00.sub(d20), x10 = d10.add(d20), x20 = d20.sub(d10), x30 = d10.sub(d30);
                FloatVector x01 = d01.sub(d21), x11 = d11.add(d21), x21 = d21.sub(d11), x31 = d11.sub(d31);
                FloatVector x02 = d02.sub(d22), x12 = d12.add(d22), x22 = d22.sub(d12), x32 = d12.sub(d32);
                FloatVector x03 = d03.sub(d23), x13 = d13.add(d23), x23 = d23.sub(d13), x33 = d13.sub(d33);
                // V = X B, row i: vi0 = xi0 − xi2, vi1 = xi1 + xi2, vi2 = xi2 − xi1, vi3 = xi1 − xi3 (position 4i + b)
                int q = at + c;
                x00.sub(x02).intoArray(v, q);
                x01.add(x02).intoArray(v, plane + q);
                x02.sub(x01).intoArray(v, 2 * plane + q);
                x01.sub(x03).intoArray(v, 3 * plane + q);
                x10.sub(x12).intoArray(v, 4 * plane + q);
                x11.add(x12).intoArray(v, 5 * plane + q);
                x12.sub(x11).intoArray(v, 6 * plane + q);
                x11.sub(x13).intoArray(v, 7 * plane + q);
                x20.sub(x22).intoArray(v, 8 * plane + q);
                x21.add(x22).intoArray(v, 9 * plane + q);
                x22.sub(x21).intoArray(v, 10 * plane + q);
                x21.sub(x23).intoArray(v, 11 * plane + q);
                x30.sub(x32).intoArray(v, 12 * plane + q);
                x31.add(x32).intoArray(v, 13 * plane + q);
                x32.sub(x31).intoArray(v, 14 * plane + q);
                x31.sub(x33).intoArray(v, 15 * plane + q);
            }
        }
    }

    static void outputTiles(float[] m, int mOff, int plane, int kp, int tilesW, int t0, int t1, float[] bias, boolean relu,
                            boolean pool, float[] out, PixelMap outMap, int n) {
        // max(y, floor) is the ReLU with floor 0 and the identity with −∞: no branch on a vector
        FloatVector floor = FloatVector.broadcast(F, relu ? 0f : Float.NEGATIVE_INFINITY);
        for (int t = t0; t < t1; t++) {
            int ti = t / tilesW, tj = t % tilesW, at = mOff + (t - t0) * kp;
            for (int k = 0; k < kp; k += L) {
                int q = at + k;
                // Aᵀ M per column j: u_j = m0j + m1j + m2j, w_j = m1j − m2j − m3j
                // written out, not helpers: a vector returned from a call C2 does not inline is boxed (package-info)
                FloatVector u0 = FloatVector.fromArray(F, m, 0 * plane + q).add(FloatVector.fromArray(F, m, 4 * plane + q))
                        .add(FloatVector.fromArray(F, m, 8 * plane + q));
                FloatVector u1 = FloatVector.fromArray(F, m, 1 * plane + q).add(FloatVector.fromArray(F, m, 5 * plane + q))
                        .add(FloatVector.fromArray(F, m, 9 * plane + q));
                FloatVector u2 = FloatVector.fromArray(F, m, 2 * plane + q).add(FloatVector.fromArray(F, m, 6 * plane + q))
                        .add(FloatVector.fromArray(F, m, 10 * plane + q));
                FloatVector u3 = FloatVector.fromArray(F, m, 3 * plane + q).add(FloatVector.fromArray(F, m, 7 * plane + q))
                        .add(FloatVector.fromArray(F, m, 11 * plane + q));
                FloatVector w0 = FloatVector.fromArray(F, m, 4 * plane + q).sub(FloatVector.fromArray(F, m, 8 * plane + q))
                        .sub(FloatVector.fromArray(F, m, 12 * plane + q));
                FloatVector w1 = FloatVector.fromArray(F, m, 5 * plane + q).sub(FloatVector.fromArray(F, m, 9 * plane + q))
                        .sub(FloatVector.fromArray(F, m, 13 * plane + q));
                FloatVector w2 = FloatVector.fromArray(F, m, 6 * plane + q).sub(FloatVector.fromArray(F, m, 10 * plane + q))
                        .sub(FloatVector.fromArray(F, m, 14 * plane + q));
                FloatVector w3 = FloatVector.fromArray(F, m, 7 * plane + q).sub(FloatVector.fromArray(F, m, 11 * plane + q))
                        .sub(FloatVector.fromArray(F, m, 15 * plane + q));
                FloatVector b = FloatVector.fromArray(F, bias, k);
                FloatVector y00 = u0.add(u1).add(u2).add(b).max(floor), y01 = u1.sub(u2).sub(u3).add(b).max(floor);
                FloatVector y10 = w0.add(w1).add(w2).add(b).max(floor), y11 = w1.sub(w2).sub(w3).add(b).max(floor);
                if (pool) {
                    y00.max(y01).max(y10.max(y11)).intoArray(out, outMap.at(n, ti, tj) + k);
                } else {
                    y00.intoArray(out, outMap.at(n, 2 * ti, 2 * tj) + k);
                    y01.intoArray(out, outMap.at(n, 2 * ti, 2 * tj + 1) + k);
                    y10.intoArray(out, outMap.at(n, 2 * ti + 1, 2 * tj) + k);
                    y11.intoArray(out, outMap.at(n, 2 * ti + 1, 2 * tj + 1) + k);
                }
            }
        }
    }
}
