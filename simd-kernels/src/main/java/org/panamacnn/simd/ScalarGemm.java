package org.panamacnn.simd;

import java.util.function.IntConsumer;

/**
 * {@link Gemm} in plain Java (arguments checked there, k ≥ 1, α ≠ 0). Each element of C is
 * acc = Σ_p op(A)[i, p]·op(B)[p, j], one fused multiply-add per p in increasing p from zero, then
 * C = α·acc (+ β·C, C not read when β = 0), then the epilogue. Rows of C are spread over the
 * runner's tasks; a row's sums never depend on the split, so any thread count gives the same bits.
 * Columns are taken {@link #COLUMNS} at a time, all rows of a task per column block, so the block
 * of B they share stays in cache; for a non-transposed B the inner loop runs along a row of B
 * (C2 vectorizes it on its own), for a transposed B along the rows of A and B (four dot products at once).
 * The loop state lives in the workspace's reusable {@link Job}, so a call allocates nothing.
 */
final class ScalarGemm {
    /** Columns of C per block: one block of acc (1 KB) and a K×256 block of B, which stays in L2 for K up to ~1000. */
    static final int COLUMNS = 256;
    /** Tasks per thread of the runner, so uneven rows still balance. */
    private static final int TASKS_PER_THREAD = 4;

    private ScalarGemm() {}

    static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue, GemmWorkspace ws, TaskRunner runner) {
        Job job = ws.scalarJob;
        job.set(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epilogue);
        try {
            job.tasks = Math.min(m, runner.parallelism() * TASKS_PER_THREAD);
            if (job.tasks <= 1) {
                job.tasks = 1;
                job.rows(0);
            } else {
                runner.forEach(job.tasks, job.rowsTask);
            }
        } finally {
            job.clear();
        }
    }

    /** One call's arguments, reused call after call (one per workspace). */
    static final class Job {
        final IntConsumer rowsTask = this::rows;
        private boolean transA, transB;
        private int m, n, k, aOff, lda, bOff, ldb, cOff, ldc, tasks;
        private float alpha, beta;
        private float[] a, b, c;
        private GemmEpilogue epilogue;

        void set(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc, GemmEpilogue epilogue) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.epilogue = epilogue;
        }

        /** Drops the references to the caller's arrays. */
        void clear() {
            a = b = c = null;
            epilogue = null;
        }

        /** Task t: rows [t·m/tasks, (t+1)·m/tasks) of C, in the calling thread's workspace. Reads only fields set before the tasks start. */
        void rows(int t) {
            int from = (int) ((long) t * m / tasks), to = (int) ((long) (t + 1) * m / tasks);
            float[] acc = GemmWorkspace.forCurrentThread().rowBlock;
            for (int jc = 0; jc < n; jc += COLUMNS) {
                int nc = Math.min(COLUMNS, n - jc);
                for (int i = from; i < to; i++) {
                    if (transB) productsTransposedB(i, jc, nc, acc);
                    else products(i, jc, nc, acc);
                    store(i, jc, nc, acc);
                }
            }
        }

        /** A's row i, element p. */
        private float aAt(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        /** acc[j] = Σ_p A[i, p]·B[p, jc + j] for j &lt; nc, B row-major k×n: rows of B added one at a time. */
        private void products(int i, int jc, int nc, float[] acc) {
            java.util.Arrays.fill(acc, 0, nc, 0f);
            for (int p = 0; p < k; p++) {
                float aip = aAt(i, p);
                int row = bOff + p * ldb + jc;
                for (int j = 0; j < nc; j++) acc[j] = Math.fma(aip, b[row + j], acc[j]);
            }
        }

        /** acc[j] = Σ_p A[i, p]·B[jc + j, p] for j &lt; nc, B stored n×k: four dot products at a time. */
        private void productsTransposedB(int i, int jc, int nc, float[] acc) {
            int j = 0;
            for (; j + 4 <= nc; j += 4) {
                int b0 = bOff + (jc + j) * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = aAt(i, p);
                    s0 = Math.fma(aip, b[b0 + p], s0);
                    s1 = Math.fma(aip, b[b1 + p], s1);
                    s2 = Math.fma(aip, b[b2 + p], s2);
                    s3 = Math.fma(aip, b[b3 + p], s3);
                }
                acc[j] = s0;
                acc[j + 1] = s1;
                acc[j + 2] = s2;
                acc[j + 3] = s3;
            }
            for (; j < nc; j++) {
                int bj = bOff + (jc + j) * ldb;
                float s = 0f;
                for (int p = 0; p < k; p++) s = Math.fma(aAt(i, p), b[bj + p], s);
                acc[j] = s;
            }
        }

        /** C[i, jc + j] = α·acc[j] (+ β·C[i, jc + j] when β ≠ 0), then the epilogue. Writes c. */
        private void store(int i, int jc, int nc, float[] acc) {
            int row = cOff + i * ldc;
            for (int j = 0; j < nc; j++) {
                float v = alpha == 1f ? acc[j] : alpha * acc[j];
                int at = row + jc + j;
                c[at] = beta == 0f ? v : beta == 1f ? v + c[at] : v + beta * c[at];
            }
            if (!epilogue.isNone()) epilogue.applyToRow(c, row, jc, jc + nc, i, 0);
        }
    }
}
