package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.function.Executable;

/**
 * Random data, guarded arrays and tolerance assertions shared by the kernel tests.
 *
 * <p>Convention: a kernel's logical region sits at a non-zero offset inside a larger random
 * array; a copy taken before the call lets {@link #assertUnchangedOutside} prove that nothing
 * outside the written region moved (bit for bit, NaN included).
 */
final class TestSupport {
    /** A two-thread runner that runs the tasks on the calling thread in reverse order: task order must not change any bit. */
    static final TaskRunner REVERSED = new TaskRunner() {
        @Override
        public void forEach(int tasks, java.util.function.IntConsumer body) {
            for (int t = tasks - 1; t >= 0; t--) body.accept(t);
        }

        @Override
        public int parallelism() {
            return 2;
        }
    };


    /** Floats per vector of the kernel family in use (16 with AVX-512; 8, the layout unit, in plain Java). */
    static final int LANES = KernelProvider.LANES;

    /** Unit roundoff of float arithmetic. */
    static final double U = 0x1p-24;

    private TestSupport() {
    }

    /** Sizes around the vector length: 0, 1, 2, L−1, L, L+1, 2L−1, 2L, 2L+3, 3L+5, 7L+1 (ascending, distinct). */
    static int[] raggedSizes() {
        int l = LANES;
        TreeSet<Integer> s = new TreeSet<>();
        for (int n : new int[] {0, 1, 2, l - 1, l, l + 1, 2 * l - 1, 2 * l, 2 * l + 3, 3 * l + 5, 7 * l + 1}) {
            if (n >= 0) {
                s.add(n);
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A uniform float in [lo, hi). */
    static float uniform(Random rnd, float lo, float hi) {
        return lo + (hi - lo) * rnd.nextFloat();
    }

    /** {@code length} floats uniform in [−1, 1). */
    static float[] randomArray(Random rnd, int length) {
        return randomArray(rnd, length, -1f, 1f);
    }

    static float[] randomArray(Random rnd, int length, float lo, float hi) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = uniform(rnd, lo, hi);
        }
        return a;
    }

    /** A small random offset (0 .. 2L+2) so that regions start off the vector alignment. */
    static int randomOffset(Random rnd) {
        return rnd.nextInt(2 * LANES + 3);
    }

    /** A random array of {@code off + n + tail} floats, tail 1..L+1, so that every region has guards after it. */
    static float[] guarded(Random rnd, int off, int n) {
        return randomArray(rnd, off + n + 1 + rnd.nextInt(LANES + 1));
    }

    static int pick(Random rnd, int... choices) {
        return choices[rnd.nextInt(choices.length)];
    }

    static float pick(Random rnd, float... choices) {
        return choices[rnd.nextInt(choices.length)];
    }

    static double[] toDouble(float[] a, int off, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[off + i];
        }
        return d;
    }

    static double[] toDouble(float[] a) {
        return toDouble(a, 0, a.length);
    }

    /** Element-wise |a| (NaN stays NaN). */
    static double[] abs(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.abs(a[i]);
        }
        return r;
    }

    /**
     * Relative error bound factor for a float result built from {@code terms} rounded operations
     * (a dot product of length terms, a sum, a prescale): 2·(terms + 4)·u, twice the classical
     * γ bound so that a correct kernel never trips it while a missing or doubled term does.
     */
    static double floatTol(int terms) {
        return 2.0 * (terms + 4) * U;
    }

    /** |expected − actual| ≤ tol; NaN in actual (or expected) fails. */
    static void assertClose(String ctx, double expected, double actual, double tol) {
        double diff = Math.abs(expected - actual);
        if (!(diff <= tol)) {
            fail(ctx + ": expected " + expected + " but was " + actual + " (|diff| " + diff + " > tol " + tol + ")");
        }
    }

    /** actual[off + i] ≈ expected[i] within absTol + relTol·|expected[i]|, for every i. */
    static void assertAllClose(String ctx, double[] expected, float[] actual, int off, double absTol, double relTol) {
        for (int i = 0; i < expected.length; i++) {
            assertClose(ctx + " at [" + i + "]", expected[i], actual[off + i], absTol + relTol * Math.abs(expected[i]));
        }
    }

    /** actual[off + i] ≈ expected[i] within tol[i], for every i. */
    static void assertAllClose(String ctx, double[] expected, float[] actual, int off, double[] tol) {
        for (int i = 0; i < expected.length; i++) {
            assertClose(ctx + " at [" + i + "]", expected[i], actual[off + i], tol[i]);
        }
    }

    /** Same float bit pattern (so −0 ≠ +0 and NaN = NaN). */
    static void assertSameBits(String ctx, float expected, float actual) {
        if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
            fail(ctx + ": expected " + expected + " (bits " + Integer.toHexString(Float.floatToRawIntBits(expected))
                    + ") but was " + actual + " (bits " + Integer.toHexString(Float.floatToRawIntBits(actual)) + ")");
        }
    }

    /** Bit-identical arrays. */
    static void assertSameBits(String ctx, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, ctx + ": length");
        for (int i = 0; i < expected.length; i++) {
            assertSameBits(ctx + " at [" + i + "]", expected[i], actual[i]);
        }
    }

    /** Every index of {@code after} not in {@code written} has the bits it had in {@code before}. */
    static void assertUnchangedOutside(String ctx, float[] before, float[] after, IntPredicate written) {
        assertEquals(before.length, after.length, ctx + ": length");
        for (int i = 0; i < before.length; i++) {
            if (!written.test(i) && Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                fail(ctx + ": element " + i + " outside the written region changed from " + before[i] + " to " + after[i]);
            }
        }
    }

    /** Nothing outside [from, to) changed. */
    static void assertUnchangedOutside(String ctx, float[] before, float[] after, int from, int to) {
        assertUnchangedOutside(ctx, before, after, i -> i >= from && i < to);
    }

    static void assertUnchangedOutside(String ctx, boolean[] before, boolean[] after, int from, int to) {
        for (int i = 0; i < before.length; i++) {
            if ((i < from || i >= to) && before[i] != after[i]) {
                fail(ctx + ": element " + i + " outside [" + from + ", " + to + ") changed");
            }
        }
    }

    static void assertUnchangedOutside(String ctx, int[] before, int[] after, int from, int to) {
        for (int i = 0; i < before.length; i++) {
            if ((i < from || i >= to) && before[i] != after[i]) {
                fail(ctx + ": element " + i + " outside [" + from + ", " + to + ") changed from " + before[i]
                        + " to " + after[i]);
            }
        }
    }

    /** No NaN or infinity in a[off .. off+n). */
    static void assertFinite(String ctx, float[] a, int off, int n) {
        for (int i = 0; i < n; i++) {
            assertTrue(Float.isFinite(a[off + i]), ctx + ": non-finite " + a[off + i] + " at [" + i + "]");
        }
    }

    /**
     * The call throws exactly an IllegalArgumentException (not an index error) whose message
     * contains every one of {@code mentions}.
     */
    static IllegalArgumentException assertRejects(String ctx, Executable call, String... mentions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, ctx);
        String msg = String.valueOf(e.getMessage());
        for (String m : mentions) {
            assertTrue(msg.contains(m), ctx + ": message \"" + msg + "\" does not mention \"" + m + "\"");
        }
        return e;
    }
}
