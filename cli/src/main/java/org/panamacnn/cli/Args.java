package org.panamacnn.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** "--name value" options and bare flags, checked against what the command accepts. */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();

    Args(List<String> args, Set<String> options, Set<String> flags) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) throw new UsageException("unexpected argument '" + a + "'");
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) throw new UsageException("--" + name + " takes no value");
                values.put(name, "true");
            } else if (options.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) throw new UsageException("--" + name + " needs a value");
                    value = args.get(++i);
                }
                values.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int positiveInt(String name, int fallback) {
        return number(name, fallback, Integer::valueOf, n -> n > 0, "a positive whole number");
    }

    int nonNegativeInt(String name, int fallback) {
        return number(name, fallback, Integer::valueOf, n -> n >= 0, "a whole number >= 0");
    }

    /** Threads per core that --threads may ask for: beyond this, threads only add memory (their stacks) and switching. */
    static final int THREADS_PER_CORE = 4;

    /**
     * --threads (default: the cores), capped at {@link #THREADS_PER_CORE} × the cores with a
     * notice on `notices`: 10,000 threads on 2 cores ran 5× slower and held 1.35 GB.
     */
    int threads(java.io.PrintStream notices) {
        int cores = Runtime.getRuntime().availableProcessors(), cap = THREADS_PER_CORE * cores;
        int asked = positiveInt("threads", cores);
        if (asked <= cap) return asked;
        notices.printf("panama-cnn: --threads %d is more than %d × the %d cores; using %d%n", asked, THREADS_PER_CORE, cores, cap);
        return cap;
    }

    long longValue(String name, long fallback) {
        return number(name, fallback, Long::valueOf, n -> true, "a whole number");
    }

    float positiveFloat(String name, float fallback) {
        return number(name, fallback, Float::valueOf, f -> f > 0 && Float.isFinite(f), "a positive number");
    }

    float nonNegativeFloat(String name, float fallback) {
        return number(name, fallback, Float::valueOf, f -> f >= 0 && Float.isFinite(f), "a number >= 0");
    }

    float unitFloat(String name, float fallback) {
        return number(name, fallback, Float::valueOf, f -> f >= 0 && f < 1, "a number in [0, 1)");
    }

    /** The option's value parsed and checked, or the fallback when absent; one clear line when it is wrong. */
    private <T> T number(String name, T fallback, Function<String, T> parse, Predicate<T> valid, String what) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            T t = parse.apply(v);
            if (valid.test(t)) return t;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be " + what + ", got '" + v + "'");
    }
}
