package org.panamacnn.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.panamacnn.oracle.TestSupport.assertBadShape;
import static org.panamacnn.oracle.TestSupport.random;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OracleGemmTest {

    /** (b) All four transpose combinations, padded leading dimensions, against the naive definition
        written with explicit logical matrices. */
    @ParameterizedTest
    @CsvSource({
        "false, false", "false, true", "true, false", "true, true",
    })
    void matchesNaiveDefinition(boolean transA, boolean transB) {
        Random rnd = new Random(transA ? (transB ? 3 : 2) : (transB ? 1 : 0));
        int m = 5, n = 7, k = 3;
        double alpha = 1.5, beta = -0.75;
        double[][] opA = new double[m][k];
        double[][] opB = new double[k][n];
        for (double[] row : opA) {
            for (int j = 0; j < k; j++) {
                row[j] = rnd.nextDouble() * 2 - 1;
            }
        }
        for (double[] row : opB) {
            for (int j = 0; j < n; j++) {
                row[j] = rnd.nextDouble() * 2 - 1;
            }
        }
        // Store A and B (transposed if asked) with leading dimensions larger than the logical width;
        // the gaps hold NaN so any read of them would show.
        int lda = (transA ? m : k) + 2, ldb = (transB ? k : n) + 3, ldc = n + 4;
        double[] a = nans((transA ? k : m) * lda);
        double[] b = nans((transB ? n : k) * ldb);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                a[transA ? p * lda + i : i * lda + p] = opA[i][p];
            }
        }
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                b[transB ? j * ldb + p : p * ldb + j] = opB[p][j];
            }
        }
        double[] c = random(rnd, m * ldc);
        double[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += opA[i][p] * opB[p][j];
                }
                expected[i * ldc + j] = alpha * s + beta * c[i * ldc + j];
            }
        }
        OracleGemm.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        assertArrayEquals(expected, c, 1e-14); // includes the untouched padding columns of C
    }

    @Test
    void betaZeroDoesNotReadC() {
        double[] a = {1, 2, 3, 4};           // 2×2
        double[] b = {5, 6, 7, 8};           // 2×2
        double[] c = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        OracleGemm.gemm(false, false, 2, 2, 2, 1.0, a, 2, b, 2, 0.0, c, 2);
        assertArrayEquals(new double[] {19, 22, 43, 50}, c);
        for (double v : c) {
            assertFalse(Double.isNaN(v));
        }
    }

    @Test
    void emptyInnerDimensionScalesC() {
        double[] c = {1, 2, 3, 4};
        OracleGemm.gemm(false, false, 2, 2, 0, 1.0, new double[0], 1, new double[0], 2, 2.0, c, 2);
        assertArrayEquals(new double[] {2, 4, 6, 8}, c);
    }

    /** (f) */
    @Test
    void badShapesThrow() {
        double[] a = new double[6], b = new double[12], c = new double[8];
        // A 2×3 (lda 3) needs 6, B 3×4 (ldb 4) needs 12, C 2×4 (ldc 4) needs 8
        assertBadShape(() -> OracleGemm.gemm(false, false, 2, 4, 3, 1, new double[5], 3, b, 4, 0, c, 4), 6, 5);
        assertBadShape(() -> OracleGemm.gemm(false, false, 2, 4, 3, 1, a, 3, new double[11], 4, 0, c, 4), 12, 11);
        assertBadShape(() -> OracleGemm.gemm(false, false, 2, 4, 3, 1, a, 3, b, 4, 0, new double[7], 4), 8, 7);
        assertBadShape(() -> OracleGemm.gemm(false, false, 2, 4, 3, 1, a, 2, b, 4, 0, c, 4), 3, 2); // lda < k
        assertBadShape(() -> OracleGemm.gemm(true, false, 2, 4, 3, 1, a, 1, b, 4, 0, c, 4), 2, 1);  // lda < m
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OracleGemm.gemm(false, false, -1, 4, 3, 1, a, 3, b, 4, 0, c, 4));
        assertEquals("m must be >= 0, got -1", e.getMessage());
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }
}
