package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.simd.TestSupport.LANES;
import static org.panamacnn.simd.TestSupport.abs;
import static org.panamacnn.simd.TestSupport.assertClose;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.assertUnchangedOutside;
import static org.panamacnn.simd.TestSupport.floatTol;
import static org.panamacnn.simd.TestSupport.pick;
import static org.panamacnn.simd.TestSupport.toDouble;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panamacnn.oracle.OracleGemm;

/**
 * {@link Gemm} against {@link OracleGemm} (double) and EJML (float): every op combination, shapes
 * from 1 to past every blocking size, padded leading dimensions, offsets, α ∉ {0, 1}, β ∈ {0, ½, 1}.
 * Error bound: |C − C_ref| ≤ 2(k+4)·u · (|α|·Σ_p |op(A)[i,p]|·|op(B)[p,j]| + |β|·|C₀[i,j]|).
 */
class GemmTest {

    // The blocking of the Vector API kernel; in plain Java, the 256-bit kernel's, so the same edge shapes are tried.
    private static final boolean V = KernelProvider.VECTORIZED;
    private static final int MR = V ? VectorGemmKernel.MR : 4;
    private static final int NR = V ? VectorGemmKernel.NR : 2 * LANES;
    private static final int KC = V ? VectorGemmKernel.KC : 320;
    private static final int MC = VectorGemmKernel.MC;
    private static final int NC = VectorGemmKernel.NC;
    private static final int DIRECT_B_ROWS = VectorGemmKernel.DIRECT_B_MAX_ROWS;
    private static final int DIRECT_B_FLOATS = (int) VectorGemmKernel.DIRECT_B_MIN_FLOATS;

    /** One GEMM problem laid out in guarded arrays: unused A/B elements are NaN (reading one poisons C). */
    private static final class Problem {
        final boolean transA, transB;
        final int m, n, k, lda, ldb, ldc, aOff, bOff, cOff;
        final float alpha, beta;
        final float[] a, b, cBefore;
        float[] c;

        Problem(Random rnd, boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                int ldPad, boolean nanInC) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            lda = Math.max(1, aCols) + ldPad;
            ldb = Math.max(1, bCols) + (ldPad == 0 ? 0 : rnd.nextInt(ldPad + 1));
            ldc = Math.max(1, n) + ldPad;
            aOff = rnd.nextInt(5);
            bOff = rnd.nextInt(5);
            cOff = rnd.nextInt(2 * LANES + 3);
            a = matrix(rnd, aOff, aRows, aCols, lda, Float.NaN, false);
            b = matrix(rnd, bOff, bRows, bCols, ldb, Float.NaN, false);
            c = matrix(rnd, cOff, m, n, ldc, 0f, true);
            if (nanInC) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
                }
            }
            cBefore = c.clone();
        }

        /** A rows×cols matrix with leading dimension ld at off; elements outside it are fill (or random if randomOutside). */
        private static float[] matrix(Random rnd, int off, int rows, int cols, int ld, float fill, boolean randomOutside) {
            int span = rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
            float[] x = new float[off + span + 1 + rnd.nextInt(LANES + 1)];
            for (int i = 0; i < x.length; i++) {
                x[i] = randomOutside ? rnd.nextFloat() * 2 - 1 : fill;
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    x[off + r * ld + j] = rnd.nextFloat() * 2 - 1;
                }
            }
            return x;
        }

        boolean inC(int idx) {
            int rel = idx - cOff;
            return rel >= 0 && rel / ldc < m && rel % ldc < n;
        }

        String shape() {
            return String.format("gemm %s%s m=%d n=%d k=%d alpha=%s beta=%s lda=%d ldb=%d ldc=%d aOff=%d bOff=%d cOff=%d",
                    transA ? "T" : "N", transB ? "T" : "N", m, n, k, alpha, beta, lda, ldb, ldc, aOff, bOff, cOff);
        }

        void run() {
            Gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }

        /** Runs the full form on a copy of the initial C and returns that copy (c is not touched). */
        float[] runOnCopy(GemmEpilogue epilogue, GemmWorkspace ws, TaskRunner runner) {
            float[] copy = cBefore.clone();
            Gemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, copy, cOff, ldc,
                    epilogue, ws, runner);
            return copy;
        }

        /** The oracle's C (double, from the initial C), as an array laid out like c from cOff. */
        double[] oracle() {
            double[] cd = toDouble(cBefore, cOff, cBefore.length - cOff);
            OracleGemm.gemm(transA, transB, m, n, k, alpha, toDouble(a, aOff, a.length - aOff), lda,
                    toDouble(b, bOff, b.length - bOff), ldb, beta, cd, ldc);
            return cd;
        }

        /** |α|·Σ|a||b| + |β|·|C₀| per element, the scale of the rounding error. */
        double[] errorScale() {
            double[] cd = abs(toDouble(cBefore, cOff, cBefore.length - cOff));
            OracleGemm.gemm(transA, transB, m, n, k, Math.abs(alpha), abs(toDouble(a, aOff, a.length - aOff)), lda,
                    abs(toDouble(b, bOff, b.length - bOff)), ldb, Math.abs(beta), cd, ldc);
            return cd;
        }

        /** C matches expected (laid out from cOff with ldc) within the float error bound, and nothing else moved. */
        void assertMatches(String reference, double[] expected, double[] scale) {
            String ctx = shape() + " vs " + reference;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double tol = floatTol(k) * scale[i * ldc + j] + Float.MIN_NORMAL;
                    assertClose(ctx + " C[" + i + "," + j + "]", expected[i * ldc + j], c[cOff + i * ldc + j], tol);
                }
            }
            assertUnchangedOutside(ctx, cBefore, c, this::inC);
        }

        void runAndCheck() {
            run();
            assertMatches("OracleGemm", oracle(), errorScale());
        }
    }

    private static final boolean[][] OPS = {{false, false}, {false, true}, {true, false}, {true, true}};

    @Test
    void theKernelInUseIsTheOneAskedFor() {
        String forced = System.getProperty("panamacnn.gemm.mr");
        String name = Gemm.kernelName();
        if (!V) {
            org.junit.jupiter.api.Assertions.assertEquals("plain Java", name);
            return;
        }
        int lanes = LANES;
        String rows = forced != null ? forced : lanes >= 16 ? "8" : "4";
        org.junit.jupiter.api.Assertions.assertEquals(rows + "x2 vectors of " + lanes + " floats (" + lanes * 32 + "-bit)", name);
    }

    @Test
    void randomShapesAllOpCombinations() {
        Random rnd = new Random(20240601L);
        int l = LANES;
        int[] ms = {1, 2, MR - 1, MR, MR + 1, 2 * MR, 2 * MR + 1, MC - 1, MC, MC + 1, 101};
        int[] ns = {1, 2, l - 1, l, l + 1, 2 * l - 1, 2 * l, 2 * l + 1, 2 * l + 3, 3 * l + 5, 4 * l + 1, 100};
        int[] ks = {1, 2, 3, 7, 17, 64, KC - 1, KC, KC + 1, 300, 2 * KC + 1};
        for (boolean[] op : OPS) {
            for (int t = 0; t < 40; t++) {
                int m = pick(rnd, ms), n = pick(rnd, ns), k = pick(rnd, ks);
                float alpha = pick(rnd, -1.25f, 0.7f, 2.5f, 1f);
                float beta = pick(rnd, 0f, 1f, 0.5f);
                new Problem(rnd, op[0], op[1], m, n, k, alpha, beta, rnd.nextInt(4), beta == 0f && rnd.nextBoolean())
                        .runAndCheck();
            }
        }
    }

    @Test
    void everySmallShape() {
        Random rnd = new Random(7L);
        for (boolean[] op : OPS) {
            for (int m = 1; m <= MR + 2; m++) {
                for (int n = 1; n <= 2 * NR + 1; n += 3) {
                    for (int k = 1; k <= 9; k += 4) {
                        new Problem(rnd, op[0], op[1], m, n, k, -1.5f, 0.5f, 1, false).runAndCheck();
                    }
                }
            }
        }
    }

    /** Crosses MC, KC and NR block boundaries several times at once (two MC blocks plus a tail, three KC blocks). */
    @Test
    void pastAllBlockingSizes() {
        Random rnd = new Random(99L);
        for (boolean[] op : OPS) {
            new Problem(rnd, op[0], op[1], 2 * MC + 5, 3 * NR + 1, 2 * KC + 3, 0.75f, 0.5f, 3, false).runAndCheck();
        }
    }

    /** n > NC: B is packed in more than one NC block (kept fast with small m and k). */
    @Test
    void widerThanOneNcBlock() {
        Random rnd = new Random(5L);
        new Problem(rnd, false, false, MR + 1, NC + NR + 3, 5, 1.5f, 1f, 2, false).runAndCheck();
        new Problem(rnd, true, true, 3, NC + 1, 4, -0.5f, 0f, 0, true).runAndCheck();
    }

    @ParameterizedTest(name = "beta={0}")
    @CsvSource({"0", "1", "0.5"})
    void paddedLeadingDimensionsAndBetas(float beta) {
        Random rnd = new Random(1234L + Float.floatToIntBits(beta));
        for (boolean[] op : OPS) {
            for (int pad : new int[] {1, 7, LANES}) {
                new Problem(rnd, op[0], op[1], 13, 2 * LANES + 3, 37, -2.25f, beta, pad, beta == 0f).runAndCheck();
            }
        }
    }

    /** β = 0 must write C without reading it, on the edge-tile path, the full-tile path and across KC blocks. */
    @Test
    void betaZeroIgnoresNaNInC() {
        Random rnd = new Random(31L);
        int[][] shapes = {{1, 1, 1}, {MR, NR, 8}, {MR - 1, NR + 1, 9}, {2 * MR, 2 * NR, KC + 5}, {MC + 7, NR - 1, KC + 1}};
        for (boolean[] op : OPS) {
            for (int[] s : shapes) {
                Problem p = new Problem(rnd, op[0], op[1], s[0], s[1], s[2], 1.25f, 0f, 2, true);
                p.run();
                for (int i = 0; i < p.m; i++) {
                    for (int j = 0; j < p.n; j++) {
                        float v = p.c[p.cOff + i * p.ldc + j];
                        assertTrue(Float.isFinite(v), p.shape() + ": C[" + i + "," + j + "] = " + v);
                    }
                }
                p.assertMatches("OracleGemm", p.oracle(), p.errorScale());
            }
        }
    }

    /** k = 0 (and α = 0): C = β·C exactly, A and B not involved; β = 0 clears NaN. */
    @ParameterizedTest(name = "beta={0}")
    @CsvSource({"0", "1", "0.5"})
    void emptySumGivesBetaTimesC(float beta) {
        Random rnd = new Random(77L);
        for (boolean[] op : OPS) {
            for (boolean alphaZero : new boolean[] {false, true}) {
                int k = alphaZero ? 5 : 0;
                float alpha = alphaZero ? 0f : 1.5f;
                Problem p = new Problem(rnd, op[0], op[1], 7, LANES + 3, k, alpha, beta, 2, beta == 0f);
                p.run();
                for (int i = 0; i < p.m; i++) {
                    for (int j = 0; j < p.n; j++) {
                        int at = p.cOff + i * p.ldc + j;
                        float expected = beta == 0f ? 0f : beta * p.cBefore[at];
                        assertSameBits(p.shape() + " C[" + i + "," + j + "]", expected, p.c[at]);
                    }
                }
                assertUnchangedOutside(p.shape(), p.cBefore, p.c, p::inC);
            }
        }
    }

    /** m = 0 or n = 0: nothing is written anywhere. */
    @Test
    void emptyOutputWritesNothing() {
        Random rnd = new Random(3L);
        for (boolean[] op : OPS) {
            for (int[] s : new int[][] {{0, 5, 3}, {4, 0, 3}, {0, 0, 0}}) {
                Problem p = new Problem(rnd, op[0], op[1], s[0], s[1], s[2], 2f, 0.5f, 1, false);
                p.run();
                assertSameBits(p.shape(), p.cBefore, p.c);
            }
        }
    }

    /** The GEMMs of a convolution layer: forward (W·cols) and the two backward products, vs the oracle and EJML. */
    @ParameterizedTest(name = "{0} {1}x{3}·{3}x{2}")
    @CsvSource({
        // forward: W[cout, cin·k·k] · cols[cin·k·k, oh·ow]
        "NN, 64, 196, 288",
        "NN, 16, 1024, 27",
        // the backward products of the first: δW = δZ·colsᵀ, δcols = Wᵀ·δZ
        "NT, 64, 288, 196",
        "TN, 288, 196, 64",
    })
    void convolutionShapes(String ops, int m, int n, int k) {
        Random rnd = new Random(m * 1_000_003L + n * 1009L + k);
        Problem p = new Problem(rnd, ops.charAt(0) == 'T', ops.charAt(1) == 'T', m, n, k, 1f, 0f, 0, true);
        p.run();
        double[] scale = p.errorScale();
        p.assertMatches("OracleGemm", p.oracle(), scale);
        p.assertMatches("EJML", ejml(p), scale);
    }

    /** EJML as a second, independent reference on a few shapes, every op combination. */
    @Test
    void agreesWithEjml() {
        Random rnd = new Random(4242L);
        int[][] shapes = {{1, 1, 1}, {7, 33, 19}, {MR + 1, 2 * LANES + 3, KC + 9}, {MC + 1, 45, 300}};
        for (boolean[] op : OPS) {
            for (int[] s : shapes) {
                Problem p = new Problem(rnd, op[0], op[1], s[0], s[1], s[2], -0.8f, 0.5f, 3, false);
                p.run();
                p.assertMatches("EJML", ejml(p), p.errorScale());
            }
        }
    }

    /** C₀·β + α·op(A)·op(B) with EJML's float product, laid out like the problem's C from cOff (ldc). */
    private static double[] ejml(Problem p) {
        FMatrixRMaj a = dense(p.a, p.aOff, p.transA ? p.k : p.m, p.transA ? p.m : p.k, p.lda);
        FMatrixRMaj b = dense(p.b, p.bOff, p.transB ? p.n : p.k, p.transB ? p.k : p.n, p.ldb);
        FMatrixRMaj prod = new FMatrixRMaj(p.m, p.n);
        if (!p.transA && !p.transB) {
            CommonOps_FDRM.mult(p.alpha, a, b, prod);
        } else if (!p.transA) {
            CommonOps_FDRM.multTransB(p.alpha, a, b, prod);
        } else if (!p.transB) {
            CommonOps_FDRM.multTransA(p.alpha, a, b, prod);
        } else {
            CommonOps_FDRM.multTransAB(p.alpha, a, b, prod);
        }
        double[] expected = new double[p.cBefore.length - p.cOff];
        for (int i = 0; i < p.m; i++) {
            for (int j = 0; j < p.n; j++) {
                double c0 = p.beta == 0f ? 0 : p.beta * (double) p.cBefore[p.cOff + i * p.ldc + j];
                expected[i * p.ldc + j] = prod.get(i, j) + c0;
            }
        }
        return expected;
    }

    private static FMatrixRMaj dense(float[] x, int off, int rows, int cols, int ld) {
        FMatrixRMaj d = new FMatrixRMaj(rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                d.set(r, j, x[off + r * ld + j]);
            }
        }
        return d;
    }

    /** Runs the tasks on the common pool's threads, in parallel; says 3 threads, so GEMM splits its work for threads. */
    private static final TaskRunner PARALLEL = withParallelism(3, (tasks, body) -> IntStream.range(0, tasks).parallel().forEach(body));
    /** Runs the tasks on the calling thread, last first (tasks must not depend on each other's order); says 2 threads. */
    private static final TaskRunner REVERSED = withParallelism(2, (tasks, body) -> {
        for (int t = tasks - 1; t >= 0; t--) {
            body.accept(t);
        }
    });

    private static TaskRunner withParallelism(int threads, TaskRunner runner) {
        return new TaskRunner() {
            @Override
            public void forEach(int tasks, java.util.function.IntConsumer body) {
                runner.forEach(tasks, body);
            }

            @Override
            public int parallelism() {
                return threads;
            }
        };
    }

    /**
     * The same GEMM again — thread-local workspace, a fresh workspace, another thread, the
     * blocks spread over parallel or reversed tasks — gives the same bits, and those bits are
     * the product. Shapes: fewer than 4 MC row blocks (the columns are split too, ragged), 4 or
     * more (rows only), few rows with over 4,096 columns (column blocks with their own B), and
     * column blocks of one panel and of whole panels over several K blocks, with B read in place
     * when it is not transposed, and few panels over ragged rows split two and three ways.
     */
    @Test
    void deterministic() throws Exception {
        Random rnd = new Random(11L);
        // the last: few rows, many columns, so parallel runners split it into column blocks that run the whole K loop
        int[][] shapes = {{MC + 1, 2 * NR + 5, KC + 3}, {13, 5 * NR + 3, KC + 1}, {MR, NR, 7}, {4 * MC + 3, NR + 1, 40},
            {MC + 9, 4 * 1024 + 2 * NR + 1, KC + 5}, {2 * MR + 1, NR + 1, 2 * KC + 1}, {DIRECT_B_ROWS, 3 * NR + 1, DIRECT_B_FLOATS / (3 * NR) + 1},
            {3 * MR - 1, 3 * NR + 5, KC + 3}, {2 * MR + 3, NR + 1, KC + 5}};
        for (boolean[] op : OPS) {
            for (int[] s : shapes) {
                Problem p = new Problem(rnd, op[0], op[1], s[0], s[1], s[2], 0.9f, 0.5f, 1, false);
                float[] first = p.runOnCopy(GemmEpilogue.NONE, GemmWorkspace.forCurrentThread(), TaskRunner.SERIAL);
                p.run();
                float[] fresh = p.runOnCopy(GemmEpilogue.NONE, new GemmWorkspace(), TaskRunner.SERIAL);
                float[] parallel = p.runOnCopy(GemmEpilogue.NONE, GemmWorkspace.forCurrentThread(), PARALLEL);
                float[] reversed = p.runOnCopy(GemmEpilogue.NONE, new GemmWorkspace(), REVERSED);
                AtomicReference<float[]> other = new AtomicReference<>();
                Thread t = new Thread(() -> other.set(p.runOnCopy(GemmEpilogue.NONE, GemmWorkspace.forCurrentThread(),
                        TaskRunner.SERIAL)));
                t.start();
                t.join();
                assertSameBits(p.shape() + " second run", first, p.c);
                assertSameBits(p.shape() + " fresh workspace", first, fresh);
                assertSameBits(p.shape() + " parallel tasks", first, parallel);
                assertSameBits(p.shape() + " reversed tasks", first, reversed);
                assertSameBits(p.shape() + " other thread", first, other.get());
                // and the bits are the product, not an untouched C
                p.assertMatches("OracleGemm", p.oracle(), p.errorScale());
            }
        }
    }

    /**
     * The epilogue (row bias, column bias, ReLU) equals the plain GEMM followed by the same float
     * operations in a loop — bit for bit — with k past KC (applied once, after the last K block),
     * k = 0 and α = 0 (applied to β·C), ragged tiles, padded ldc, offsets and parallel tasks.
     */
    @Test
    void epilogueEqualsGemmThenBiasThenRelu() {
        Random rnd = new Random(555L);
        // m, n, k, α = 0?
        int[][] shapes = {{1, 1, 1, 0}, {MR + 1, 2 * NR + 3, KC + 7, 0}, {MC + 5, NR - 1, 9, 0}, {7, LANES + 3, 0, 0},
            {5, 3, 4, 1}, {3, NC + NR + 5, 2, 0}, {6, 4 * 1024 + NR + 3, KC + 2, 0}, {2 * MR + 3, NR + 1, KC + 5, 0}};
        for (boolean[] op : OPS) {
            for (int[] s : shapes) {
                for (int kind = 0; kind < 6; kind++) {
                    boolean relu = kind % 2 == 1;
                    float beta = pick(rnd, 0f, 1f, 0.5f);
                    float alpha = s[3] == 1 ? 0f : -1.5f;
                    Problem p = new Problem(rnd, op[0], op[1], s[0], s[1], s[2], alpha, beta, 2, beta == 0f);
                    int rbOff = rnd.nextInt(4), cbOff = rnd.nextInt(4);
                    float[] rowBias = TestSupport.randomArray(rnd, rbOff + p.m + 2);
                    float[] colBias = TestSupport.randomArray(rnd, cbOff + p.n + 2);
                    GemmEpilogue epilogue = switch (kind / 2) {
                        case 0 -> relu ? GemmEpilogue.relu() : GemmEpilogue.NONE;
                        case 1 -> GemmEpilogue.rowBias(rowBias, rbOff, relu);
                        default -> GemmEpilogue.columnBias(colBias, cbOff, relu);
                    };
                    String ctx = p.shape() + " epilogue " + (kind / 2 == 0 ? "none" : kind / 2 == 1 ? "rowBias" : "columnBias")
                            + (relu ? "+relu" : "") + " rbOff=" + rbOff + " cbOff=" + cbOff;

                    float[] expected = p.runOnCopy(GemmEpilogue.NONE, GemmWorkspace.forCurrentThread(), TaskRunner.SERIAL);
                    for (int i = 0; i < p.m; i++) {
                        for (int j = 0; j < p.n; j++) {
                            int at = p.cOff + i * p.ldc + j;
                            float v = expected[at];
                            if (kind / 2 == 1) {
                                v += rowBias[rbOff + i];
                            } else if (kind / 2 == 2) {
                                v += colBias[cbOff + j];
                            }
                            expected[at] = relu ? Math.max(v, 0f) : v;
                        }
                    }
                    float[] serial = p.runOnCopy(epilogue, GemmWorkspace.forCurrentThread(), TaskRunner.SERIAL);
                    float[] parallel = p.runOnCopy(epilogue, GemmWorkspace.forCurrentThread(), PARALLEL);
                    assertSameBits(ctx, expected, serial);
                    assertSameBits(ctx + " parallel", expected, parallel);
                }
            }
        }
    }

    /** A hand-checked 2×3·3×2 product, so that the oracle comparison itself is anchored. */
    @Test
    void byHand() {
        float[] a = {1, 2, 3, 4, 5, 6};          // 2×3
        float[] b = {7, 8, 9, 10, 11, 12};       // 3×2
        float[] c = {1, 1, 1, 1};
        Gemm.gemm(false, false, 2, 2, 3, 2f, a, 0, 3, b, 0, 2, 0.5f, c, 0, 2);
        // A·B = [[58, 64], [139, 154]]
        assertEquals(Arrays.toString(new float[] {116.5f, 128.5f, 278.5f, 308.5f}), Arrays.toString(c), "2x3·3x2");
    }
}
