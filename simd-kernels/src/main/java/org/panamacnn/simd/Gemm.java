package org.panamacnn.simd;

/**
 * Single-precision GEMM on row-major arrays: {@code C = α·op(A)·op(B) + β·C}, op ∈ {N, T}.
 *
 * <p>op(A) is m×k and op(B) is k×n. A is stored m×k with leading dimension lda, or k×m when
 * transA; B is stored k×n with ldb, or n×k when transB; C is m×n with ldc. When β = 0, C is
 * only written, never read (so NaN in C does not propagate).
 *
 * <p>BLIS structure: B is packed KC×NC at a time into NR-wide panels, A MC×KC at a time into
 * MR-row panels (transposition and α are absorbed by the packing, so one micro-kernel serves
 * every op combination), and the {@link VectorGemmKernel} micro-kernel keeps an MR×NR tile of C in
 * registers over the whole KC loop. Without the Vector API ({@link KernelProvider}), {@link ScalarGemm}
 * computes the same product in plain Java.
 */
public final class Gemm {
    private Gemm() {}

    /**
     * The micro-kernel this JVM runs, e.g. "8x2 vectors of 16 floats (512-bit)": chosen from the
     * vector width (or -Dpanamacnn.gemm.mr), or "plain Java"; for logs and benchmark reports.
     */
    public static String kernelName() {
        KernelFamily f = KernelProvider.FAMILY;
        if (!f.vectorized()) return "plain Java";
        return f.gemmRows() + "x2 vectors of " + f.lanes() + " floats (" + f.lanes() * 32 + "-bit)";
    }

    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                GemmWorkspace.forCurrentThread());
    }

    /** As above, with the buffer for the packed B passed in (A is packed in the calling thread's own workspace). Writes c. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc, GemmWorkspace ws) {
        gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                GemmEpilogue.NONE, ws, TaskRunner.SERIAL);
    }

    /**
     * The full form: after C = α·op(A)·op(B) + β·C, the epilogue (bias, ReLU) is applied to each
     * tile of C, and the blocks of C are spread over the runner's tasks: row blocks sharing one
     * packed B (held in ws), or, when rows are few, column blocks that pack their own B; each task
     * packs in its own thread's workspace ({@link GemmWorkspace#forCurrentThread()}). The result
     * is bit-identical for any runner and thread count. Writes c (and the workspaces).
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc,
                            GemmEpilogue epilogue, GemmWorkspace ws, TaskRunner runner) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.nonNegative("k", k);
        Checks.matrix(transA ? "A (k×m, transposed)" : "A (m×k)", a, aOff, transA ? k : m, transA ? m : k, lda);
        Checks.matrix(transB ? "B (n×k, transposed)" : "B (k×n)", b, bOff, transB ? n : k, transB ? k : n, ldb);
        Checks.matrix("C (m×n)", c, cOff, m, n, ldc);
        if (m == 0 || n == 0) return;
        epilogue.check(m, n);
        if (k == 0 || alpha == 0f) {
            scaleMatrix(m, n, beta, c, cOff, ldc);
            if (!epilogue.isNone()) epilogue.apply(c, cOff, ldc, m, n, 0, 0);
            return;
        }
        if (!KernelProvider.VECTORIZED) {
            ScalarGemm.multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                    epilogue, ws, runner);
            return;
        }
        if (!transA && transB && n < VectorGemmKernel.NR) {
            dotProducts(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            if (!epilogue.isNone()) epilogue.apply(c, cOff, ldc, m, n, 0, 0);
            return;
        }
        if (beta != 0f && beta != 1f) scaleMatrix(m, n, beta, c, cOff, ldc);
        VectorGemmKernel.run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta != 0f, c, cOff, ldc,
                epilogue, ws, runner);
    }

    /**
     * C = α·A·B + β·C with B packed straight from the images instead of being written out (k =
     * b.rows(), n = b.columns()): the columns of a group of images ({@link ImageColumns}, the same
     * values in the same places as {@link Im2Col}) or a weight gradient's taps ({@link ImageTaps}).
     * The same bits as the product of the matrix written out. A is m×k (lda), C m×n (ldc);
     * epilogue, workspace and runner as above. Writes c.
     */
    public static void gemm(int m, float alpha, float[] a, int aOff, int lda, ColumnSource b,
                            float beta, float[] c, int cOff, int ldc,
                            GemmEpilogue epilogue, GemmWorkspace ws, TaskRunner runner) {
        int k = b.rows(), n = b.columns();
        Checks.nonNegative("m", m);
        Checks.matrix("A (m×k)", a, aOff, m, k, lda);
        Checks.matrix("C (m×n)", c, cOff, m, n, ldc);
        if (m == 0) return;
        epilogue.check(m, n);
        if (alpha == 0f) {
            scaleMatrix(m, n, beta, c, cOff, ldc);
            if (!epilogue.isNone()) epilogue.apply(c, cOff, ldc, m, n, 0, 0);
            return;
        }
        if (!KernelProvider.VECTORIZED) { // the plain-Java family multiplies the matrix written out
            int size = Math.multiplyExact(k, n);
            float[] lowered = ws.lowered = ws.lowered.length >= size ? ws.lowered : new float[size];
            b.lower(0, k, 0, n, lowered, 0, n);
            ScalarGemm.multiply(false, false, m, n, k, alpha, a, aOff, lda, lowered, 0, n, beta, c, cOff, ldc,
                    epilogue, ws, runner);
            return;
        }
        if (beta != 0f && beta != 1f) scaleMatrix(m, n, beta, c, cOff, ldc);
        VectorGemmKernel.run(m, n, k, alpha, a, aOff, lda, b, beta != 0f, c, cOff, ldc, epilogue, ws, runner);
    }

    /**
     * The small-problem path for A·Bᵀ with fewer columns than one register tile (a convolution's
     * weight gradient with few input channels: 32×784 · 784×9): both operands are read along
     * their contiguous rows, C[i, j] = α·(A_i · B_j) + β·C[i, j], without packing, which would
     * cost more than the product. Fixed summation order, as everywhere.
     */
    private static void dotProducts(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                    float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float dot = VectorBlas1.dotUnchecked(k, a, aOff + i * lda, b, bOff + j * ldb);
                int at = cOff + i * ldc + j;
                c[at] = beta == 0f ? alpha * dot : alpha * dot + beta * c[at];
            }
        }
    }

    /** C = β·C, with β = 0 writing zeros without reading C. Writes c. */
    static void scaleMatrix(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) java.util.Arrays.fill(c, row, row + n, 0f);
            else if (beta != 1f) Blas1.scale(n, beta, c, row);
        }
    }
}
