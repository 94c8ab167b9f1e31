package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.randomArray;

import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The 8-lane A-panel interleave ({@link VectorPanelTranspose#panelA4}) moves exactly the floats
 * of a 4-row panel, for K with and without a tail of columns, at odd row strides and offsets,
 * and writes nothing past the columns it reports. Runs where the JVM's vectors have 8 lanes (the
 * kernels-256-bit execution; elsewhere GEMM does not use it and this skips).
 */
class PanelTransposeTest {
    @Test
    void panelA4PacksFourRowsColumnByColumn() {
        Assumptions.assumeTrue(KernelProvider.VECTORIZED && KernelProvider.LANES == 8, "8-lane vectors only");
        Random rnd = new Random(8);
        for (int kc : new int[] {1, 7, 8, 9, 15, 16, 17, 63, 64, 320, 321}) {
            int lda = kc + rnd.nextInt(5), src = rnd.nextInt(11), dst = rnd.nextInt(11);
            float[] a = randomArray(rnd, src + 4 * lda + 3);
            float[] pa = randomArray(rnd, dst + 4 * kc + 9), before = pa.clone();
            int done = VectorPanelTranspose.panelA4(a, src, lda, kc, pa, dst);
            assertEquals(kc - kc % 8, done, "columns done for kc " + kc);
            float[] expected = before.clone();
            for (int p = 0; p < done; p++) {
                for (int i = 0; i < 4; i++) expected[dst + p * 4 + i] = a[src + i * lda + p];
            }
            assertSameBits("panelA4 kc " + kc + " lda " + lda, expected, pa);
        }
    }
}
