package org.panamacnn.simd;

/**
 * Argument checks done once at a kernel's entry, so that bad input fails with a message that
 * names the argument and the expected vs actual extent instead of an index error deep in a loop.
 */
public final class Checks {
    private Checks() {}

    /** Requires {@code array[offset .. offset+length)} to exist. */
    public static void range(String name, float[] array, int offset, long length) {
        if (array == null) throw new NullPointerException(name + " is null");
        check(name, array.length, offset, length);
    }

    public static void range(String name, int[] array, int offset, long length) {
        if (array == null) throw new NullPointerException(name + " is null");
        check(name, array.length, offset, length);
    }

    public static void range(String name, boolean[] array, int offset, long length) {
        if (array == null) throw new NullPointerException(name + " is null");
        check(name, array.length, offset, length);
    }

    /** Requires n ≥ 0 and both {@code a[aOff .. aOff+n)} and {@code b[bOff .. bOff+n)} — the check of every element-wise kernel. */
    public static void vectors(int n, String aName, float[] a, int aOff, String bName, float[] b, int bOff) {
        nonNegative("n", n);
        range(aName, a, aOff, n);
        range(bName, b, bOff, n);
    }

    /** Requires rows, cols ≥ 0 and a rows×cols block in each of x and y. */
    public static void rowsOf(int rows, int cols, String xName, float[] x, int xOff, String yName, float[] y, int yOff) {
        nonNegative("rows", rows);
        nonNegative("cols", cols);
        range(xName, x, xOff, (long) rows * cols);
        range(yName, y, yOff, (long) rows * cols);
    }

    /** Requires a row-major matrix of {@code rows × cols} with leading dimension {@code ld} at {@code offset}. */
    public static void matrix(String name, float[] array, int offset, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException(name + ": negative size " + rows + "x" + cols);
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(name + ": leading dimension " + ld + " < column count " + cols);
        }
        if (rows == 0 || cols == 0) return;
        range(name, array, offset, (long) (rows - 1) * ld + cols);
    }

    public static void positive(String name, int value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be positive, got " + value);
    }

    public static void nonNegative(String name, int value) {
        if (value < 0) throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }

    private static void check(String name, int arrayLength, int offset, long length) {
        if (offset < 0 || length < 0 || offset + length > arrayLength) {
            throw new IllegalArgumentException(name + ": needs elements [" + offset + ", " + (offset + length)
                    + ") but the array has length " + arrayLength);
        }
    }
}
