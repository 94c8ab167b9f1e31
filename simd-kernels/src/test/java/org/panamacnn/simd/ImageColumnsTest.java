package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.panamacnn.simd.TestSupport.assertAllClose;
import static org.panamacnn.simd.TestSupport.assertRejects;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.randomArray;

import java.util.Random;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleConv2d;
import org.panamacnn.oracle.OracleIm2Col;

/**
 * {@link ImageColumns} and the GEMM that packs them from the images: the matrix is
 * {@link OracleIm2Col}'s columns of each image side by side (both layouts), and the product gives
 * the bits of the GEMM of that matrix written out, and the oracle's convolution.
 */
class ImageColumnsTest {
    /** images, channels, h, w, k: planes narrower and smaller than a vector, images straddling vectors, K over several blocks. */
    private static final int[][] SHAPES = {
        {1, 1, 1, 1, 1}, {1, 1, 1, 1, 3}, {3, 2, 2, 2, 3}, {5, 3, 1, 3, 3}, {2, 3, 7, 7, 3}, {4, 2, 5, 3, 5},
        {2, 1, 14, 14, 3}, {3, 4, 9, 13, 3}, {1, 2, 28, 28, 3}, {7, 3, 4, 4, 1}, {2, 5, 17, 3, 3}, {9, 2, 3, 5, 3},
        {2, 130, 6, 5, 3}, {3, 40, 7, 7, 5},
    };

    @Test
    void theMatrixIsEachImagesIm2ColSideBySideInEitherLayout() {
        Random rnd = new Random(3);
        for (int[] s : SHAPES) {
            for (boolean grouped : new boolean[] {false, true}) {
                Case t = new Case(s, grouped, rnd);
                float[] lowered = new float[t.cols.rows() * t.cols.columns()];
                t.cols.lower(0, t.cols.rows(), 0, t.cols.columns(), lowered, 0, t.cols.columns());
                double[] expected = t.oracleMatrix();
                for (int i = 0; i < lowered.length; i++) {
                    assertEquals((float) expected[i], lowered[i], t + " element " + i);
                }
            }
        }
    }

    @Test
    void theProductHasTheBitsOfTheMatrixWrittenOutAndAgreesWithTheOracleConvolution() {
        Random rnd = new Random(5);
        GemmWorkspace ws = new GemmWorkspace();
        for (int[] s : SHAPES) {
            for (boolean grouped : new boolean[] {false, true}) {
                for (int m : new int[] {1, 5, 8, 13, 33}) {
                    Case t = new Case(s, grouped, rnd);
                    int k = t.cols.rows(), n = t.cols.columns();
                    float[] a = randomArray(rnd, 3 + m * k), bias = randomArray(rnd, m);
                    float[] matrix = new float[k * n];
                    t.cols.lower(0, k, 0, n, matrix, 0, n);
                    for (float beta : new float[] {0f, 1f}) {
                        GemmEpilogue epilogue = beta == 0f ? GemmEpilogue.rowBias(bias, 0, m % 2 == 1) : GemmEpilogue.NONE;
                        float[] c0 = randomArray(rnd, 2 + m * n);
                        float[] expected = c0.clone(), actual = c0.clone(), reversed = c0.clone();
                        Gemm.gemm(false, false, m, n, k, 1f, a, 3, k, matrix, 0, n, beta, expected, 2, n, epilogue, ws, TaskRunner.SERIAL);
                        Gemm.gemm(m, 1f, a, 3, k, t.cols, beta, actual, 2, n, epilogue, ws, TaskRunner.SERIAL);
                        assertSameBits(t + " m=" + m + " beta=" + beta, expected, actual);
                        Gemm.gemm(m, 1f, a, 3, k, t.cols, beta, reversed, 2, n, epilogue, ws, REVERSED);
                        assertSameBits(t + " m=" + m + " beta=" + beta + " column blocks", expected, reversed);
                    }
                    t.checkAgainstOracleConvolution(m, a, 3, rnd, ws);
                }
            }
        }
    }

    @Test
    void badDescriptionsAreRejected() {
        float[] x = new float[2 * 3 * 4 * 5];
        ImageColumns cols = new ImageColumns();
        assertRejects("even kernel", () -> cols.set(x, 0, 60, 20, 2, 3, 4, 5, 2), "odd kernel");
        assertRejects("no images", () -> cols.set(x, 0, 60, 20, 0, 3, 4, 5, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> cols.set(x, 1, 60, 20, 2, 3, 4, 5, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> cols.set(x, -1, 60, 20, 2, 3, 4, 5, 3));
        assertEquals(true, ImageColumns.supports(3, 1, 1));
        assertEquals(false, ImageColumns.supports(3, 2, 1));
        assertEquals(false, ImageColumns.supports(3, 1, 0));
    }

    /** One geometry with random images, in the batch layout or as a group matrix, at a random offset. */
    private static final class Case {
        final int images, channels, h, w, k, offset;
        final boolean grouped;
        final float[] x;
        final ImageColumns cols = new ImageColumns();

        Case(int[] s, boolean grouped, Random rnd) {
            images = s[0];
            channels = s[1];
            h = s[2];
            w = s[3];
            k = s[4];
            this.grouped = grouped;
            offset = rnd.nextInt(5);
            int plane = h * w;
            x = randomArray(rnd, offset + images * channels * plane + rnd.nextInt(3));
            if (grouped) cols.set(x, offset, plane, images * plane, images, channels, h, w, k);
            else cols.set(x, offset, channels * plane, plane, images, channels, h, w, k);
        }

        /** Image n as [c, h, w] doubles. */
        double[] image(int n) {
            int plane = h * w;
            double[] img = new double[channels * plane];
            for (int c = 0; c < channels; c++) {
                for (int q = 0; q < plane; q++) {
                    img[c * plane + q] = x[offset + (grouped ? c * images * plane + n * plane : (n * channels + c) * plane) + q];
                }
            }
            return img;
        }

        double[] oracleMatrix() {
            int plane = h * w, rows = channels * k * k, n = images * plane;
            double[] m = new double[rows * n];
            for (int i = 0; i < images; i++) {
                double[] one = OracleIm2Col.im2col(image(i), channels, h, w, k, k, 1, (k - 1) / 2);
                for (int r = 0; r < rows; r++) System.arraycopy(one, r * plane, m, r * n + i * plane, plane);
            }
            return m;
        }

        /** W = a as [m, channels, k, k]: each image's block of the product is the oracle's convolution of it. */
        void checkAgainstOracleConvolution(int m, float[] a, int aOff, Random rnd, GemmWorkspace ws) {
            int plane = h * w, n = images * plane, kk = channels * k * k;
            float[] c = new float[m * n];
            Gemm.gemm(m, 1f, a, aOff, kk, cols, 0f, c, 0, n, GemmEpilogue.NONE, ws, TaskRunner.SERIAL);
            double[] weights = new double[m * kk];
            for (int i = 0; i < weights.length; i++) weights[i] = a[aOff + i];
            for (int i = 0; i < images; i++) {
                double[] z = OracleConv2d.forward(image(i), 1, channels, h, w, weights, m, k, k, new double[m], 1, (k - 1) / 2);
                double[] block = new double[m * plane];
                float[] got = new float[m * plane];
                for (int co = 0; co < m; co++) {
                    System.arraycopy(z, co * plane, block, co * plane, plane);
                    System.arraycopy(c, co * n + i * plane, got, co * plane, plane);
                }
                assertAllClose(this + " image " + i, block, got, 0, 1e-5 * Math.sqrt(kk) * 4, 1e-5);
            }
        }

        @Override
        public String toString() {
            return "images=" + images + " c=" + channels + " " + h + "x" + w + " k=" + k + (grouped ? " grouped" : " batch layout");
        }
    }

    /** Runs the tasks on the calling thread, last first; says 2 threads, so the GEMM splits its columns. */
    private static final TaskRunner REVERSED = new TaskRunner() {
        @Override
        public void forEach(int tasks, IntConsumer body) {
            IntStream.range(0, tasks).map(t -> tasks - 1 - t).forEach(body);
        }

        @Override
        public int parallelism() {
            return 2;
        }
    };
}
