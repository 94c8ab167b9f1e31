package org.panamacnn.tensor;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The one budget for memory that input makes us allocate: decoded data sets, the activations of a
 * planned batch (training and inference), metadata files. Sizes computed from input are
 * multiplied with {@link #product} (overflow is an error, never a negative array size) and
 * checked with {@link #require} before anything is allocated, so a file or an argument that asks
 * for more than the heap can hold gets an error naming it and the figure, not an
 * OutOfMemoryError minutes later.
 *
 * <p>The budget is 3/4 of the JVM's maximum heap (the rest is the model, the JIT and the
 * collector's room), or {@code -Dpanamacnn.memoryBudget=BYTES}; {@link #withLimit} narrows it for
 * one piece of work (tests, a service that loads models beside other work).
 */
public final class AllocationBudget {
    private static final ScopedValue<Long> LIMIT = ScopedValue.newInstance();

    private AllocationBudget() {}

    /** The bytes one load or plan may ask for. */
    public static long bytes() {
        if (LIMIT.isBound()) return LIMIT.get();
        String given = System.getProperty("panamacnn.memoryBudget");
        if (given != null) {
            try {
                long b = Long.parseLong(given.trim());
                if (b > 0) return b;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("-Dpanamacnn.memoryBudget must be a positive number of bytes, got '" + given + "'");
        }
        return Runtime.getRuntime().maxMemory() / 4 * 3;
    }

    /** Runs work with a budget of at most `bytes`. */
    public static <T> T withLimit(long bytes, Supplier<T> work) {
        return ScopedValue.where(LIMIT, Math.min(bytes, bytes())).call(work::get);
    }

    /**
     * The product of sizes taken from input, e.g. images × channels × height × width.
     *
     * @throws IllegalArgumentException "{what}: a × b × c overflows a 64-bit count" when it does
     */
    public static long product(String what, long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f < 0) throw new IllegalArgumentException(what + ": negative size " + f + " in " + factors(factors));
            try {
                p = Math.multiplyExact(p, f);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(what + ": " + factors(factors) + " overflows a 64-bit count", e);
            }
        }
        return p;
    }

    /**
     * Refuses `bytes` above the budget: "{source}: {what} needs 9.0 GB (9,000,000,000 bytes), more
     * than the memory budget of 1.5 GB (3/4 of the 2.0 GB heap; -Xmx or -Dpanamacnn.memoryBudget)".
     */
    public static void require(String source, String what, long bytes) {
        long budget = bytes();
        if (bytes > budget) {
            throw new IllegalArgumentException(source + ": " + what + " needs " + human(bytes) + String.format(Locale.ROOT, " (%,d bytes)", bytes)
                    + ", more than the memory budget of " + human(budget) + " (3/4 of the " + human(Runtime.getRuntime().maxMemory())
                    + " heap; raise it with -Xmx or -Dpanamacnn.memoryBudget)");
        }
    }

    /** As {@link #require}, and the count must also fit one Java array (2^31 − 9 elements). */
    public static int requireArray(String source, String what, long elements, int bytesPerElement) {
        if (elements > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(source + ": " + what + String.format(Locale.ROOT, " has %,d values", elements)
                    + ", more than one array holds (2^31 − 9)");
        }
        require(source, what, product(what, elements, bytesPerElement));
        return (int) elements;
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1L << 20));
        return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
    }

    private static String factors(long[] f) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < f.length; i++) sb.append(i == 0 ? "" : " × ").append(f[i]);
        return sb.toString();
    }
}
