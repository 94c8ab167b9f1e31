package org.panamacnn.simd;

import static org.panamacnn.simd.TestSupport.U;
import static org.panamacnn.simd.TestSupport.assertClose;
import static org.panamacnn.simd.TestSupport.assertRejects;
import static org.panamacnn.simd.TestSupport.assertUnchangedOutside;
import static org.panamacnn.simd.TestSupport.guarded;
import static org.panamacnn.simd.TestSupport.randomOffset;
import static org.panamacnn.simd.TestSupport.raggedSizes;
import static org.panamacnn.simd.TestSupport.toDouble;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleActivations;
import org.panamacnn.oracle.OracleLoss;

/** {@link Losses}: loss, probabilities and gradient against {@link OracleLoss}, logits up to ±1000. */
class LossesTest {

    private static final float[] SCALES = {1f, 30f, 1000f};

    @Test
    void softmaxCrossEntropyEqualsOracle() {
        Random rnd = new Random(200L);
        for (int rows : new int[] {1, 3, 8}) {
            for (int cols : new int[] {1, 2, 10, 17, 33, TestSupport.LANES + 1}) {
                for (float scale : SCALES) {
                    String ctx = "softmaxCrossEntropy rows=" + rows + " cols=" + cols + " scale=" + scale;
                    int n = rows * cols;
                    int lOff = randomOffset(rnd), labOff = randomOffset(rnd), pOff = randomOffset(rnd),
                            gOff = randomOffset(rnd);
                    float[] logits = guarded(rnd, lOff, n);
                    for (int i = 0; i < n; i++) {
                        logits[lOff + i] = scale * (rnd.nextFloat() * 2 - 1);
                    }
                    int[] labels = new int[labOff + rows];
                    Arrays.fill(labels, -1); // outside the region: must not be read
                    for (int r = 0; r < rows; r++) {
                        labels[labOff + r] = rnd.nextInt(cols);
                    }
                    float[] probs = guarded(rnd, pOff, n), grad = guarded(rnd, gOff, n);
                    float[] probsBefore = probs.clone(), gradBefore = grad.clone();
                    double[] ld = toDouble(logits, lOff, n);
                    int[] lab = Arrays.copyOfRange(labels, labOff, labOff + rows);

                    double loss = Losses.softmaxCrossEntropy(rows, cols, logits, lOff, labels, labOff, probs, pOff,
                            grad, gOff);

                    double expectedLoss = OracleLoss.softmaxCrossEntropy(ld, rows, cols, lab);
                    assertClose(ctx + " loss", expectedLoss, loss, 1e-6 + 1e-6 * Math.abs(expectedLoss));
                    double[] p = OracleActivations.softmax(ld, rows, cols);
                    double[] g = OracleLoss.softmaxCrossEntropyGrad(ld, rows, cols, lab);
                    for (int i = 0; i < n; i++) {
                        double pTol = 1e-9 + p[i] * (1e-5 + 8 * U * 2 * scale);
                        assertClose(ctx + " probs[" + i + "]", p[i], probs[pOff + i], pTol);
                        assertClose(ctx + " grad[" + i + "]", g[i], grad[gOff + i], (pTol + 4 * U) / rows);
                    }
                    assertUnchangedOutside(ctx + " probs", probsBefore, probs, pOff, pOff + n);
                    assertUnchangedOutside(ctx + " grad", gradBefore, grad, gOff, gOff + n);
                }
            }
        }
    }

    /** A confidently wrong prediction at ±1000: the loss is ≈ 2000, finite, not infinity from log(0). */
    @Test
    void softmaxCrossEntropyWithHugeLogitsIsFinite() {
        float[] logits = {1000f, -1000f, 0f, -1000f, 1000f, 999f};
        int[] labels = {1, 2};
        float[] probs = new float[6], grad = new float[6];
        double loss = Losses.softmaxCrossEntropy(2, 3, logits, 0, labels, 0, probs, 0, grad, 0);
        double expected = OracleLoss.softmaxCrossEntropy(toDouble(logits), 2, 3, labels);
        assertClose("CE ±1000 loss", expected, loss, 1e-9 * expected);
        assertClose("CE ±1000 loss ≈ (2000 + 1 + log(1 + e^-1)) / 2", (2000 + 1 + Math.log1p(Math.exp(-1))) / 2,
                loss, 1e-6);
        double[] g = OracleLoss.softmaxCrossEntropyGrad(toDouble(logits), 2, 3, labels);
        for (int i = 0; i < 6; i++) {
            assertClose("CE ±1000 grad[" + i + "]", g[i], grad[i], 1e-6);
        }
    }

    @Test
    void softmaxCrossEntropyRejectsBadLabels() {
        float[] logits = new float[12], probs = new float[12], grad = new float[12];
        for (int bad : new int[] {-1, 4, Integer.MAX_VALUE}) {
            int[] labels = {0, 3, bad};
            assertRejects("label " + bad, () -> Losses.softmaxCrossEntropy(3, 4, logits, 0, labels, 0, probs, 0, grad, 0),
                    "label " + bad, "row 2");
        }
    }

    @Test
    void sigmoidBinaryCrossEntropyEqualsOracle() {
        Random rnd = new Random(201L);
        float[] specialTargets = {0f, 1f, 0.5f};
        for (int n : raggedSizes()) {
            if (n == 0) {
                continue;
            }
            for (float scale : SCALES) {
                String ctx = "sigmoidBinaryCrossEntropy n=" + n + " scale=" + scale;
                int lOff = randomOffset(rnd), tOff = randomOffset(rnd), pOff = randomOffset(rnd), gOff = randomOffset(rnd);
                float[] logits = guarded(rnd, lOff, n);
                float[] targets = guarded(rnd, tOff, n);
                for (int i = 0; i < n; i++) {
                    logits[lOff + i] = scale * (rnd.nextFloat() * 2 - 1);
                    targets[tOff + i] = rnd.nextBoolean() ? specialTargets[rnd.nextInt(3)] : rnd.nextFloat();
                }
                if (scale == 1000f) {
                    logits[lOff] = 1000f;
                    targets[tOff] = 0f;
                }
                float[] probs = guarded(rnd, pOff, n), grad = guarded(rnd, gOff, n);
                float[] probsBefore = probs.clone(), gradBefore = grad.clone();
                double[] ld = toDouble(logits, lOff, n), td = toDouble(targets, tOff, n);

                double loss = Losses.sigmoidBinaryCrossEntropy(n, logits, lOff, targets, tOff, probs, pOff, grad, gOff);

                double expectedLoss = OracleLoss.sigmoidBinaryCrossEntropy(ld, td);
                assertClose(ctx + " loss", expectedLoss, loss, 1e-9 + 1e-9 * Math.abs(expectedLoss));
                double[] s = OracleActivations.sigmoid(ld);
                double[] g = OracleLoss.sigmoidBinaryCrossEntropyGrad(ld, td);
                for (int i = 0; i < n; i++) {
                    assertClose(ctx + " probs[" + i + "]", s[i], probs[pOff + i], 8 * U * s[i] + Float.MIN_NORMAL);
                    assertClose(ctx + " grad[" + i + "]", g[i], grad[gOff + i], 16 * U * (s[i] + td[i]) / n + Float.MIN_NORMAL);
                }
                assertUnchangedOutside(ctx + " probs", probsBefore, probs, pOff, pOff + n);
                assertUnchangedOutside(ctx + " grad", gradBefore, grad, gOff, gOff + n);
            }
        }
    }

    @Test
    void sigmoidBinaryCrossEntropyRejectsBadTargets() {
        float[] logits = new float[3], probs = new float[3], grad = new float[3];
        for (float bad : new float[] {-0.25f, 1.5f, Float.NaN}) {
            float[] targets = {0f, 1f, bad};
            assertRejects("target " + bad, () -> Losses.sigmoidBinaryCrossEntropy(3, logits, 0, targets, 0, probs, 0,
                    grad, 0), "target " + bad, "at 2");
        }
    }
}
