package org.panamacnn.oracle;

/**
 * General matrix product, row-major, as in BLAS:
 * <pre>
 * C[i,j] = α·Σ_p op(A)[i,p]·op(B)[p,j] + β·C[i,j]      (i &lt; m, j &lt; n, p &lt; k)
 * op(A)[i,p] = transA ? a[p·lda + i] : a[i·lda + p]
 * op(B)[p,j] = transB ? b[j·ldb + p] : b[p·ldb + j]
 * </pre>
 * When β = 0, C is only written (so NaN or garbage in C does not propagate).
 */
public final class OracleGemm {

    private OracleGemm() {
    }

    /** Row-major C = alpha·op(A)·op(B) + beta·C, op(A) is m×k, op(B) is k×n; A stored m×k (lda) or, if transA, k×m (lda); likewise B.
        C is modified in place (m×n with ldc). beta == 0 means C is not read (NaN in C must not propagate). */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                            double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.nonNegative("k", k);
        checkMatrix("A", a, transA ? k : m, transA ? m : k, "lda", lda);
        checkMatrix("B", b, transB ? n : k, transB ? k : n, "ldb", ldb);
        checkMatrix("C", c, m, n, "ldc", ldc);

        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[p * lda + i] : a[i * lda + p];
                    double bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += aip * bpj;
                }
                int ij = i * ldc + j;
                c[ij] = beta == 0.0 ? alpha * sum : alpha * sum + beta * c[ij];
            }
        }
    }

    /** A stored matrix of rows×cols with leading dimension ld needs ld >= max(1, cols) and
        length >= (rows−1)·ld + cols. */
    private static void checkMatrix(String name, double[] array, int rows, int cols, String ldName, int ld) {
        Checks.notNull(name, array);
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(ldName + ": expected >= " + Math.max(1, cols)
                    + " (" + name + " stored as " + rows + "x" + cols + "), actual " + ld);
        }
        long needed = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (array.length < needed) {
            throw new IllegalArgumentException(name + " (" + rows + "x" + cols + ", " + ldName + "=" + ld
                    + "): expected length >= " + needed + ", actual " + array.length);
        }
    }
}
