package org.panamacnn.oracle;

/** Argument checks shared by the oracle classes; every failure is an IllegalArgumentException. */
final class Checks {

    private Checks() {
    }

    /** Requires {@code value >= 1}. */
    static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    /** Requires {@code value >= 0}. */
    static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    /** The product of the dimensions, which must fit in an array length. */
    static int size(int... dims) {
        long product = 1;
        for (int d : dims) {
            product *= d;
            if (product > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape too large for one array: "
                        + java.util.Arrays.toString(dims));
            }
        }
        return (int) product;
    }

    /** Requires {@code array.length == expected}; {@code shape} names the dimensions, e.g. "[n,cin,h,w]". */
    static void length(String name, String shape, double[] array, int expected) {
        if (array == null) {
            throw new IllegalArgumentException(name + " " + shape + ": expected length " + expected + ", actual null");
        }
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " " + shape + ": expected length " + expected
                    + ", actual " + array.length);
        }
    }

    /** Requires {@code array.length == expected}. */
    static void length(String name, String shape, int[] array, int expected) {
        if (array == null) {
            throw new IllegalArgumentException(name + " " + shape + ": expected length " + expected + ", actual null");
        }
        if (array.length != expected) {
            throw new IllegalArgumentException(name + " " + shape + ": expected length " + expected
                    + ", actual " + array.length);
        }
    }

    /** Requires a non-null array (its length is then given by the caller's shape or by itself). */
    static void notNull(String name, Object array) {
        if (array == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
    }
}
