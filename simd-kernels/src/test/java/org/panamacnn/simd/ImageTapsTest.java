package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.simd.TestSupport.assertAllClose;
import static org.panamacnn.simd.TestSupport.assertRejects;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.REVERSED;
import static org.panamacnn.simd.TestSupport.randomArray;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleConv2d;
import org.panamacnn.oracle.OracleIm2Col;

/**
 * {@link ImageTaps} and the GEMM that packs them from channel-blocked images: the matrix is the
 * transpose of {@link OracleIm2Col}'s columns with its rows reordered tap-major, the product has the
 * bits of the GEMM of that matrix written out, and δZ times it is the oracle's weight gradient.
 */
class ImageTapsTest {
    private static final int B = ImageTaps.block();

    /** images, channel blocks, h, w, k, stride, pad: odd planes, planes smaller than a vector, strides 1 and 2, K over several blocks. */
    private static final int[][] SHAPES = {
        {1, 1, 1, 1, 1, 1, 0}, {1, 1, 3, 3, 3, 1, 1}, {2, 1, 5, 7, 3, 1, 1}, {3, 2, 7, 7, 3, 2, 1}, {2, 1, 9, 6, 1, 2, 0},
        {1, 3, 4, 4, 3, 1, 1}, {2, 1, 13, 11, 5, 1, 2}, {5, 1, 2, 3, 3, 1, 1}, {1, 2, 32, 32, 3, 1, 1}, {3, 1, 8, 8, 3, 2, 1},
        {2, 2, 6, 5, 3, 1, 0}, {4, 1, 3, 3, 1, 1, 0},
    };


    @Test
    void blockingIsATransposeOfEachBlockOfChannels() {
        Random rnd = new Random(1);
        for (int[] s : SHAPES) {
            int images = s[0], channels = s[1] * B, plane = s[2] * s[3];
            float[] x = randomArray(rnd, 3 + images * channels * plane);
            float[] blocked = new float[2 + images * channels * plane];
            ImageTaps.toBlocked(images, channels, plane, x, 3, blocked, 2);
            for (int n = 0; n < images; n++) {
                for (int c = 0; c < channels; c++) {
                    for (int q = 0; q < plane; q++) {
                        int at = 2 + ((n * (channels / B) + c / B) * plane + q) * B + c % B;
                        assertEquals(x[3 + (n * channels + c) * plane + q], blocked[at], "image " + n + " channel " + c + " pixel " + q);
                    }
                }
            }
        }
    }

    @Test
    void theMatrixIsTheTransposeOfIm2ColTapMajor() {
        Random rnd = new Random(3);
        for (int[] s : SHAPES) {
            Case t = new Case(s, rnd);
            int rows = t.taps.rows(), cols = t.taps.columns();
            float[] lowered = new float[rows * cols];
            t.taps.lower(0, rows, 0, cols, lowered, 0, cols);
            int plane = t.oh * t.ow, kk = t.k * t.k;
            for (int n = 0; n < t.images; n++) {
                double[] im2col = OracleIm2Col.im2col(t.image(n), t.channels, t.h, t.w, t.k, t.k, t.stride, t.pad); // [(c, u, v), q]
                for (int c = 0; c < t.channels; c++) {
                    for (int tap = 0; tap < kk; tap++) {
                        for (int q = 0; q < plane; q++) {
                            assertEquals((float) im2col[(c * kk + tap) * plane + q], lowered[(n * plane + q) * cols + tap * t.channels + c],
                                    t + " image " + n + " channel " + c + " tap " + tap + " pixel " + q);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theProductHasTheBitsOfTheMatrixWrittenOutAndIsTheOracleWeightGradient() {
        Random rnd = new Random(5);
        GemmWorkspace ws = new GemmWorkspace();
        for (int[] s : SHAPES) {
            for (int m : new int[] {1, 7, 8, 19}) {
                Case t = new Case(s, rnd);
                int k = t.taps.rows(), n = t.taps.columns();
                float[] a = randomArray(rnd, 3 + m * k);
                float[] matrix = new float[k * n];
                t.taps.lower(0, k, 0, n, matrix, 0, n);
                for (float beta : new float[] {0f, 1f}) {
                    float[] c0 = randomArray(rnd, 2 + m * n);
                    float[] expected = c0.clone(), actual = c0.clone(), reversed = c0.clone();
                    Gemm.gemm(false, false, m, n, k, 1f, a, 3, k, matrix, 0, n, beta, expected, 2, n, GemmEpilogue.NONE, ws, TaskRunner.SERIAL);
                    Gemm.gemm(m, 1f, a, 3, k, t.taps, beta, actual, 2, n, GemmEpilogue.NONE, ws, TaskRunner.SERIAL);
                    assertSameBits(t + " m=" + m + " beta=" + beta, expected, actual);
                    Gemm.gemm(m, 1f, a, 3, k, t.taps, beta, reversed, 2, n, GemmEpilogue.NONE, ws, REVERSED);
                    assertSameBits(t + " m=" + m + " beta=" + beta + " column blocks", expected, reversed);
                }
                t.checkAgainstOracleWeightGradient(m, a, 3, ws);
            }
        }
    }

    @Test
    void badDescriptionsAreRejected() {
        float[] x = new float[2 * B * 4 * 5];
        ImageTaps taps = new ImageTaps();
        if (B > 1) assertRejects("channels not whole blocks", () -> taps.set(x, 0, 2, B + 1, 4, 5, 3, 1, 1), "multiple of the block");
        assertRejects("no images", () -> taps.set(x, 0, 0, B, 4, 5, 3, 1, 1));
        assertRejects("kernel too large", () -> taps.set(x, 0, 2, B, 4, 5, 7, 1, 1), "does not fit");
        assertRejects("images past the end", () -> taps.set(x, 1, 2, B, 4, 5, 3, 1, 1), "x");
        assertRejects("destination too short", () -> ImageTaps.toBlocked(2, B, 20, x, 0, new float[10], 0), "dst");
        assertEquals(true, ImageTaps.supports(2 * B));
        assertEquals(B == 1, ImageTaps.supports(B + 1));
    }

    /** One geometry with random images, blocked at a random offset. */
    private static final class Case {
        final int images, channels, h, w, k, stride, pad, oh, ow, offset;
        final float[] nchw, blocked;
        final ImageTaps taps = new ImageTaps();

        Case(int[] s, Random rnd) {
            images = s[0];
            channels = s[1] * B;
            h = s[2];
            w = s[3];
            k = s[4];
            stride = s[5];
            pad = s[6];
            oh = (h + 2 * pad - k) / stride + 1;
            ow = (w + 2 * pad - k) / stride + 1;
            offset = rnd.nextInt(5);
            int size = images * channels * h * w;
            nchw = randomArray(rnd, size);
            blocked = new float[offset + size + rnd.nextInt(3)];
            ImageTaps.toBlocked(images, channels, h * w, nchw, 0, blocked, offset);
            taps.set(blocked, offset, images, channels, h, w, k, stride, pad);
        }

        /** Image n as [c, h, w] doubles. */
        double[] image(int n) {
            int size = channels * h * w;
            double[] img = new double[size];
            for (int i = 0; i < size; i++) img[i] = nchw[n * size + i];
            return img;
        }

        /** δZ = a as [m, images·oh·ow] (images side by side): the product, reordered, is the oracle's δW. */
        void checkAgainstOracleWeightGradient(int m, float[] a, int aOff, GemmWorkspace ws) {
            int plane = oh * ow, pixels = images * plane, kk = k * k, n = kk * channels;
            float[] c = new float[m * n];
            Gemm.gemm(m, 1f, a, aOff, pixels, taps, 0f, c, 0, n, GemmEpilogue.NONE, ws, TaskRunner.SERIAL);
            double[] x = new double[images * channels * h * w], dz = new double[images * m * plane];
            for (int i = 0; i < x.length; i++) x[i] = nchw[i];
            for (int img = 0; img < images; img++) {
                for (int co = 0; co < m; co++) {
                    for (int q = 0; q < plane; q++) dz[(img * m + co) * plane + q] = a[aOff + co * pixels + img * plane + q];
                }
            }
            double[] expected = OracleConv2d.gradWeight(x, images, channels, h, w, dz, m, k, k, stride, pad); // [m, c, u, v]
            float[] got = new float[expected.length];
            for (int co = 0; co < m; co++) {
                for (int ch = 0; ch < channels; ch++) {
                    for (int tap = 0; tap < kk; tap++) got[(co * channels + ch) * kk + tap] = c[co * n + tap * channels + ch];
                }
            }
            assertAllClose(this + " m=" + m, expected, got, 0, 1e-5 * Math.sqrt(pixels) * 4, 1e-5);
        }

        @Override
        public String toString() {
            return images + " images of " + channels + "×" + h + "×" + w + ", k=" + k + " stride " + stride + " pad " + pad;
        }
    }
}
