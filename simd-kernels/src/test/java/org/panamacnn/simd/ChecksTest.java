package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.simd.TestSupport.assertRejects;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link Checks} itself, and the argument checks of every kernel: a too-short array, a bad offset,
 * a negative size or a bad leading dimension is an IllegalArgumentException whose message starts
 * with the name of the offending argument — never an ArrayIndexOutOfBoundsException from a loop,
 * never a silent no-op.
 */
class ChecksTest {

    // ---- Checks ----

    @Test
    void rangeAcceptsExactFitsAndEmptyRanges() {
        assertDoesNotThrow(() -> Checks.range("x", new float[10], 0, 10));
        assertDoesNotThrow(() -> Checks.range("x", new float[10], 3, 7));
        assertDoesNotThrow(() -> Checks.range("x", new float[10], 10, 0));
        assertDoesNotThrow(() -> Checks.range("i", new int[4], 1, 3));
        assertDoesNotThrow(() -> Checks.range("b", new boolean[4], 4, 0));
    }

    @Test
    void rangeRejectsWithTheNameAndTheExtent() {
        assertRejects("one past the end", () -> Checks.range("weights", new float[10], 3, 8),
                "weights:", "[3, 11)", "length 10");
        assertRejects("negative offset", () -> Checks.range("x", new float[10], -1, 2), "x:", "-1");
        assertRejects("negative length", () -> Checks.range("x", new float[10], 0, -1), "x:");
        assertRejects("offset past the end", () -> Checks.range("x", new float[10], 11, 0), "x:");
        assertRejects("int[]", () -> Checks.range("argmax", new int[3], 1, 3), "argmax:", "length 3");
        assertRejects("boolean[]", () -> Checks.range("mask", new boolean[3], 0, 4), "mask:", "length 3");
        assertRejects("length past int range", () -> Checks.range("x", new float[10], 5, Integer.MAX_VALUE), "x:");
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Checks.range("y", (float[]) null, 0, 1));
        assertTrue(npe.getMessage().startsWith("y "), "null message names y: " + npe.getMessage());
    }

    @Test
    void matrixChecksSizesLeadingDimensionAndExtent() {
        // 3×4 with ld 6 at offset 2 needs (3−1)·6 + 4 = 16 elements after the offset
        assertDoesNotThrow(() -> Checks.matrix("M", new float[18], 2, 3, 4, 6));
        assertRejects("one element short", () -> Checks.matrix("M", new float[17], 2, 3, 4, 6), "M:", "[2, 18)");
        assertRejects("ld < cols", () -> Checks.matrix("M", new float[100], 0, 3, 4, 3),
                "M:", "leading dimension 3", "column count 4");
        assertRejects("ld 0 for an empty matrix", () -> Checks.matrix("M", new float[0], 0, 0, 0, 0), "M:", "leading dimension 0");
        assertRejects("negative rows", () -> Checks.matrix("M", new float[100], 0, -1, 4, 4), "M:", "negative size");
        assertRejects("negative cols", () -> Checks.matrix("M", new float[100], 0, 1, -4, 4), "M:", "negative size");
        assertDoesNotThrow(() -> Checks.matrix("M", new float[0], 0, 0, 5, 5), "0 rows read nothing");
        assertDoesNotThrow(() -> Checks.matrix("M", new float[0], 0, 5, 0, 1), "0 cols read nothing");
    }

    @Test
    void positiveAndNonNegative() {
        assertDoesNotThrow(() -> Checks.positive("stride", 1));
        assertDoesNotThrow(() -> Checks.nonNegative("pad", 0));
        assertRejects("positive(0)", () -> Checks.positive("stride", 0), "stride", "0");
        assertRejects("nonNegative(-1)", () -> Checks.nonNegative("pad", -1), "pad", "-1");
    }

    // ---- every kernel ----

    private record Case(String what, String prefix, Executable call) {
    }

    private static Case bad(String what, String prefix, Executable call) {
        return new Case(what, prefix, call);
    }

    private static float[] f(int n) {
        return new float[n];
    }

    @TestFactory
    List<DynamicTest> everyKernelNamesTheBadArgument() {
        List<Case> cases = new ArrayList<>();
        // GEMM: NN 4×5·… k=3; A is 4×3 (12), B is 3×5 (15), C is 4×5 (20)
        cases.add(bad("gemm A short", "A (m×k):", () -> Gemm.gemm(false, false, 4, 5, 3, 1f, f(11), 0, 3, f(15), 0, 5, 0f, f(20), 0, 5)));
        cases.add(bad("gemm A offset", "A (m×k):", () -> Gemm.gemm(false, false, 4, 5, 3, 1f, f(12), 1, 3, f(15), 0, 5, 0f, f(20), 0, 5)));
        cases.add(bad("gemm A negative offset", "A (m×k):", () -> Gemm.gemm(false, false, 4, 5, 3, 1f, f(12), -1, 3, f(15), 0, 5, 0f, f(20), 0, 5)));
        cases.add(bad("gemm Aᵀ short", "A (k×m, transposed):", () -> Gemm.gemm(true, false, 4, 5, 3, 1f, f(11), 0, 4, f(15), 0, 5, 0f, f(20), 0, 5)));
        cases.add(bad("gemm B short", "B (k×n):", () -> Gemm.gemm(false, false, 4, 5, 3, 1f, f(12), 0, 3, f(14), 0, 5, 0f, f(20), 0, 5)));
        cases.add(bad("gemm Bᵀ short", "B (n×k, transposed):", () -> Gemm.gemm(false, true, 4, 5, 3, 1f, f(12), 0, 3, f(14), 0, 3, 0f, f(20), 0, 5)));
        cases.add(bad("gemm C short", "C (m×n):", () -> Gemm.gemm(false, false, 4, 5, 3, 1f, f(12), 0, 3, f(15), 0, 5, 0f, f(19), 0, 5)));
        cases.add(bad("gemm C short with padded ldc", "C (m×n):", () -> Gemm.gemm(false, false, 4, 5, 3, 1f, f(12), 0, 3, f(15), 0, 5, 1f, f(25), 0, 7)));
        cases.add(bad("gemm lda < k", "A (m×k): leading dimension", () -> Gemm.gemm(false, false, 4, 5, 3, 1f, f(99), 0, 2, f(99), 0, 5, 0f, f(99), 0, 5)));
        cases.add(bad("gemm transposed lda < m", "A (k×m, transposed): leading dimension", () -> Gemm.gemm(true, false, 4, 5, 3, 1f, f(99), 0, 3, f(99), 0, 5, 0f, f(99), 0, 5)));
        cases.add(bad("gemm ldb < n", "B (k×n): leading dimension", () -> Gemm.gemm(false, false, 4, 5, 3, 1f, f(99), 0, 3, f(99), 0, 4, 0f, f(99), 0, 5)));
        cases.add(bad("gemm transposed ldb < k", "B (n×k, transposed): leading dimension", () -> Gemm.gemm(false, true, 4, 5, 3, 1f, f(99), 0, 3, f(99), 0, 2, 0f, f(99), 0, 5)));
        cases.add(bad("gemm ldc < n", "C (m×n): leading dimension", () -> Gemm.gemm(false, false, 4, 5, 3, 1f, f(99), 0, 3, f(99), 0, 5, 0f, f(99), 0, 4)));
        cases.add(bad("gemm ldc < n with k = 0", "C (m×n): leading dimension", () -> Gemm.gemm(false, false, 4, 5, 0, 1f, f(99), 0, 1, f(99), 0, 5, 0f, f(99), 0, 4)));
        cases.add(bad("gemm row bias short", "row bias:", () -> Gemm.gemm(false, false, 4, 5, 3, 1f, f(12), 0, 3, f(15), 0, 5, 0f, f(20), 0, 5,
                GemmEpilogue.rowBias(f(3), 0, false), new GemmWorkspace(), TaskRunner.SERIAL)));
        cases.add(bad("gemm column bias offset", "column bias:", () -> Gemm.gemm(false, false, 4, 5, 3, 1f, f(12), 0, 3, f(15), 0, 5, 0f, f(20), 0, 5,
                GemmEpilogue.columnBias(f(5), 1, true), new GemmWorkspace(), TaskRunner.SERIAL)));
        cases.add(bad("gemm column bias short with k = 0", "column bias:", () -> Gemm.gemm(false, false, 4, 5, 0, 1f, f(12), 0, 1, f(15), 0, 5, 0f, f(20), 0, 5,
                GemmEpilogue.columnBias(f(4), 0, false), new GemmWorkspace(), TaskRunner.SERIAL)));
        cases.add(bad("gemm m < 0", "m ", () -> Gemm.gemm(false, false, -1, 5, 3, 1f, f(99), 0, 3, f(99), 0, 5, 0f, f(99), 0, 5)));
        cases.add(bad("gemm n < 0", "n ", () -> Gemm.gemm(false, false, 4, -1, 3, 1f, f(99), 0, 3, f(99), 0, 5, 0f, f(99), 0, 5)));
        cases.add(bad("gemm k < 0", "k ", () -> Gemm.gemm(false, false, 4, 5, -1, 1f, f(99), 0, 3, f(99), 0, 5, 0f, f(99), 0, 5)));

        // im2col / col2im: 2 channels 5×5, kernel 3, stride 1, pad 0 → cols 18×9 = 162, x = 50
        cases.add(bad("im2col x short", "x:", () -> Im2Col.im2col(f(49), 0, 2, 5, 5, 3, 3, 1, 0, f(162), 0)));
        cases.add(bad("im2col x offset", "x:", () -> Im2Col.im2col(f(50), 1, 2, 5, 5, 3, 3, 1, 0, f(162), 0)));
        cases.add(bad("im2col cols short", "cols:", () -> Im2Col.im2col(f(50), 0, 2, 5, 5, 3, 3, 1, 0, f(161), 0)));
        cases.add(bad("im2col c < 0", "c ", () -> Im2Col.im2col(f(50), 0, -2, 5, 5, 3, 3, 1, 0, f(162), 0)));
        cases.add(bad("im2col h < 0", "input size", () -> Im2Col.im2col(f(50), 0, 2, -5, 5, 3, 3, 1, 0, f(162), 0)));
        cases.add(bad("col2im x short", "x:", () -> Im2Col.col2im(f(162), 0, 2, 5, 5, 3, 3, 1, 0, f(49), 0)));
        cases.add(bad("col2im cols short", "cols:", () -> Im2Col.col2im(f(161), 0, 2, 5, 5, 3, 3, 1, 0, f(50), 0)));
        cases.add(bad("col2im cols offset", "cols:", () -> Im2Col.col2im(f(162), 1, 2, 5, 5, 3, 3, 1, 0, f(50), 0)));
        cases.add(bad("col2im c < 0", "c ", () -> Im2Col.col2im(f(162), 0, -2, 5, 5, 3, 3, 1, 0, f(50), 0)));

        // ReLU, n = 20
        cases.add(bad("relu x short", "x:", () -> Relu.forward(20, f(19), 0, f(20), 0, new boolean[20], 0)));
        cases.add(bad("relu y short", "y:", () -> Relu.forward(20, f(20), 0, f(20), 1, new boolean[20], 0)));
        cases.add(bad("relu mask short", "mask:", () -> Relu.forward(20, f(20), 0, f(20), 0, new boolean[19], 0)));
        cases.add(bad("relu n < 0", "n ", () -> Relu.forward(-1, f(20), 0, f(20), 0, new boolean[20], 0)));
        cases.add(bad("relu (no mask) x short", "x:", () -> Relu.forward(20, f(19), 0, f(20), 0)));
        cases.add(bad("relu (no mask) y short", "y:", () -> Relu.forward(20, f(20), 0, f(19), 0)));
        cases.add(bad("relu (no mask) n < 0", "n ", () -> Relu.forward(-1, f(20), 0, f(20), 0)));
        cases.add(bad("relu backward dy short", "dy:", () -> Relu.backward(20, f(19), 0, new boolean[20], 0, f(20), 0)));
        cases.add(bad("relu backward mask short", "mask:", () -> Relu.backward(20, f(20), 0, new boolean[20], 2, f(20), 0)));
        cases.add(bad("relu backward dx short", "dx:", () -> Relu.backward(20, f(20), 0, new boolean[20], 0, f(19), 0)));
        cases.add(bad("relu backward n < 0", "n ", () -> Relu.backward(-3, f(20), 0, new boolean[20], 0, f(20), 0)));

        // max-pool: 3 planes 5×5, k 2, stride 2 → 2×2 outputs: x 75, y 12
        cases.add(bad("maxpool x short", "x:", () -> MaxPool.forward(3, 5, 5, 2, 2, f(74), 0, f(12), 0, new int[12], 0)));
        cases.add(bad("maxpool y short", "y:", () -> MaxPool.forward(3, 5, 5, 2, 2, f(75), 0, f(11), 0, new int[12], 0)));
        cases.add(bad("maxpool argmax short", "argmax:", () -> MaxPool.forward(3, 5, 5, 3, 1, f(75), 0, f(27), 0, new int[26], 0)));
        cases.add(bad("maxpool planes < 0", "planes ", () -> MaxPool.forward(-3, 5, 5, 2, 2, f(75), 0, f(12), 0, new int[12], 0)));
        cases.add(bad("maxpool window > input", "pooling window", () -> MaxPool.forward(3, 5, 5, 6, 1, f(75), 0, f(12), 0, new int[12], 0)));
        cases.add(bad("maxpool backward dy short", "dy:", () -> MaxPool.backward(3, 5, 5, 2, 2, f(11), 0, new int[12], 0, f(75), 0)));
        cases.add(bad("maxpool backward argmax short", "argmax:", () -> MaxPool.backward(3, 5, 5, 2, 2, f(12), 0, new int[12], 1, f(75), 0)));
        cases.add(bad("maxpool backward dx short", "dx:", () -> MaxPool.backward(3, 5, 5, 2, 2, f(12), 0, new int[12], 0, f(74), 0)));
        cases.add(bad("maxpool backward planes < 0", "planes ", () -> MaxPool.backward(-3, 5, 5, 2, 2, f(12), 0, new int[12], 0, f(75), 0)));

        // bias: 3×4
        cases.add(bad("addPerRow bias short", "bias:", () -> Bias.addPerRow(3, 4, f(2), 0, f(12), 0)));
        cases.add(bad("addPerRow c short", "c:", () -> Bias.addPerRow(3, 4, f(3), 0, f(11), 0)));
        cases.add(bad("addPerRow rows < 0", "rows ", () -> Bias.addPerRow(-3, 4, f(3), 0, f(12), 0)));
        cases.add(bad("addPerRow cols < 0 with 0 rows", "cols ", () -> Bias.addPerRow(0, -4, f(3), 0, f(12), 0)));
        cases.add(bad("addPerColumn bias short", "bias:", () -> Bias.addPerColumn(3, 4, f(3), 0, f(12), 0)));
        cases.add(bad("addPerColumn c short", "c:", () -> Bias.addPerColumn(3, 4, f(4), 0, f(12), 1)));
        cases.add(bad("addPerColumn rows < 0", "rows ", () -> Bias.addPerColumn(-3, 4, f(4), 0, f(12), 0)));
        cases.add(bad("sumRowsInto x short", "x:", () -> Bias.sumRowsInto(3, 4, f(11), 0, f(3), 0)));
        cases.add(bad("sumRowsInto out short", "out:", () -> Bias.sumRowsInto(3, 4, f(12), 0, f(2), 0)));
        cases.add(bad("sumRowsInto cols < 0 with 0 rows", "cols ", () -> Bias.sumRowsInto(0, -4, f(12), 0, f(3), 0)));
        cases.add(bad("sumColumnsInto x short", "x:", () -> Bias.sumColumnsInto(3, 4, f(11), 0, f(4), 0)));
        cases.add(bad("sumColumnsInto out short", "out:", () -> Bias.sumColumnsInto(3, 4, f(12), 0, f(3), 0)));
        cases.add(bad("sumColumnsInto rows < 0", "rows ", () -> Bias.sumColumnsInto(-3, 4, f(12), 0, f(4), 0)));

        // activations: 3×4
        cases.add(bad("softmaxRows x short", "x:", () -> Activations.softmaxRows(3, 4, f(11), 0, f(12), 0)));
        cases.add(bad("softmaxRows y short", "y:", () -> Activations.softmaxRows(3, 4, f(12), 0, f(12), 1)));
        cases.add(bad("softmaxRows rows and cols < 0", "rows ", () -> Activations.softmaxRows(-3, -4, f(12), 0, f(12), 0)));
        cases.add(bad("softmaxRows cols < 0 with 0 rows", "cols ", () -> Activations.softmaxRows(0, -4, f(12), 0, f(12), 0)));
        cases.add(bad("logSoftmaxRows x short", "x:", () -> Activations.logSoftmaxRows(3, 4, f(11), 0, f(12), 0)));
        cases.add(bad("logSoftmaxRows y short", "y:", () -> Activations.logSoftmaxRows(3, 4, f(12), 0, f(11), 0)));
        cases.add(bad("logSoftmaxRows rows and cols < 0", "rows ", () -> Activations.logSoftmaxRows(-3, -4, f(12), 0, f(12), 0)));
        cases.add(bad("sigmoid x short", "x:", () -> Activations.sigmoid(12, f(11), 0, f(12), 0)));
        cases.add(bad("sigmoid y short", "y:", () -> Activations.sigmoid(12, f(12), 0, f(12), 5)));
        cases.add(bad("sigmoid n < 0", "n ", () -> Activations.sigmoid(-1, f(12), 0, f(12), 0)));

        // losses: 3×4
        cases.add(bad("CE logits short", "logits:", () -> Losses.softmaxCrossEntropy(3, 4, f(11), 0, new int[3], 0, f(12), 0, f(12), 0)));
        cases.add(bad("CE labels short", "labels:", () -> Losses.softmaxCrossEntropy(3, 4, f(12), 0, new int[2], 0, f(12), 0, f(12), 0)));
        cases.add(bad("CE probs short", "probs:", () -> Losses.softmaxCrossEntropy(3, 4, f(12), 0, new int[3], 0, f(11), 0, f(12), 0)));
        cases.add(bad("CE grad short", "grad:", () -> Losses.softmaxCrossEntropy(3, 4, f(12), 0, new int[3], 0, f(12), 0, f(12), 3)));
        cases.add(bad("CE rows < 0", "rows ", () -> Losses.softmaxCrossEntropy(-3, -4, f(12), 0, new int[3], 0, f(12), 0, f(12), 0)));
        cases.add(bad("CE empty batch", "rows ", () -> Losses.softmaxCrossEntropy(0, 4, f(12), 0, new int[3], 0, f(12), 0, f(12), 0)));
        cases.add(bad("CE cols < 0", "cols ", () -> Losses.softmaxCrossEntropy(3, -4, f(12), 0, new int[3], 0, f(12), 0, f(12), 0)));
        cases.add(bad("BCE logits short", "logits:", () -> Losses.sigmoidBinaryCrossEntropy(4, f(3), 0, f(4), 0, f(4), 0, f(4), 0)));
        cases.add(bad("BCE targets short", "targets:", () -> Losses.sigmoidBinaryCrossEntropy(4, f(4), 0, f(4), 1, f(4), 0, f(4), 0)));
        cases.add(bad("BCE probs short", "probs:", () -> Losses.sigmoidBinaryCrossEntropy(4, f(4), 0, f(4), 0, f(3), 0, f(4), 0)));
        cases.add(bad("BCE grad short", "grad:", () -> Losses.sigmoidBinaryCrossEntropy(4, f(4), 0, f(4), 0, f(4), 0, f(3), 0)));
        cases.add(bad("BCE n < 0", "n ", () -> Losses.sigmoidBinaryCrossEntropy(-4, f(4), 0, f(4), 0, f(4), 0, f(4), 0)));
        cases.add(bad("BCE empty", "n ", () -> Losses.sigmoidBinaryCrossEntropy(0, f(4), 0, f(4), 0, f(4), 0, f(4), 0)));

        // BLAS-1, n = 9
        cases.add(bad("axpy x short", "x:", () -> Blas1.axpy(9, 1f, f(8), 0, f(9), 0)));
        cases.add(bad("axpy y short", "y:", () -> Blas1.axpy(9, 1f, f(9), 0, f(9), 1)));
        cases.add(bad("axpy n < 0", "n ", () -> Blas1.axpy(-1, 1f, f(9), 0, f(9), 0)));
        cases.add(bad("scale x short", "x:", () -> Blas1.scale(9, 2f, f(8), 0)));
        cases.add(bad("scale n < 0", "n ", () -> Blas1.scale(-9, 2f, f(9), 0)));
        cases.add(bad("add x short", "x:", () -> Blas1.add(9, f(9), 2, f(9), 0)));
        cases.add(bad("add y short", "y:", () -> Blas1.add(9, f(9), 0, f(8), 0)));
        cases.add(bad("add n < 0", "n ", () -> Blas1.add(-2, f(9), 0, f(9), 0)));
        cases.add(bad("sum x short", "x:", () -> Blas1.sum(9, f(8), 0)));
        cases.add(bad("sum n < 0", "n ", () -> Blas1.sum(-1, f(9), 0)));
        cases.add(bad("dot x short", "x:", () -> Blas1.dot(9, f(8), 0, f(9), 0)));
        cases.add(bad("dot y short", "y:", () -> Blas1.dot(9, f(9), 0, f(9), 1)));
        cases.add(bad("dot n < 0", "n ", () -> Blas1.dot(-1, f(9), 0, f(9), 0)));
        cases.add(bad("sgd w short", "w:", () -> Blas1.sgdUpdate(9, 0.1f, 0.9f, 0f, false, f(8), 0, f(9), 0, f(9), 0)));
        cases.add(bad("sgd g short", "g:", () -> Blas1.sgdUpdate(9, 0.1f, 0.9f, 0f, false, f(9), 0, f(9), 1, f(9), 0)));
        cases.add(bad("sgd v short", "v:", () -> Blas1.sgdUpdate(9, 0.1f, 0.9f, 0f, true, f(9), 0, f(9), 0, f(8), 0)));
        cases.add(bad("sgd n < 0", "n ", () -> Blas1.sgdUpdate(-9, 0.1f, 0f, 0f, false, f(9), 0, f(9), 0, null, 0)));

        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(c.what(), () -> {
                IllegalArgumentException e = assertRejects(c.what(), c.call());
                assertTrue(e.getMessage().startsWith(c.prefix()),
                        c.what() + ": message \"" + e.getMessage() + "\" should start with \"" + c.prefix() + "\"");
            }));
        }
        return tests;
    }

    /** Null arrays fail at the entry with a NullPointerException that names them (v only matters with momentum). */
    @Test
    void nullArraysAreNamed() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> Blas1.sgdUpdate(4, 0.1f, 0.9f, 0f, false, f(4), 0, f(4), 0, null, 0));
        assertTrue(e.getMessage().startsWith("v "), "sgd null v: " + e.getMessage());
        assertDoesNotThrow(() -> Blas1.sgdUpdate(4, 0.1f, 0f, 0f, false, f(4), 0, f(4), 0, null, 0), "sgd momentum 0, v null");
        e = assertThrows(NullPointerException.class, () -> Gemm.gemm(false, false, 2, 2, 2, 1f, null, 0, 2, f(4), 0, 2, 0f, f(4), 0, 2));
        assertTrue(e.getMessage().startsWith("A "), "gemm null A: " + e.getMessage());
    }
}
