package org.panamacnn.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a positive whole number, got '" + v + "'");
    }

    long longValue(String name, long fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + v + "'");
        }
    }

    float positiveFloat(String name, float fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            float f = Float.parseFloat(v);
            if (f > 0 && Float.isFinite(f)) return f;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a positive number, got '" + v + "'");
    }

    float unitFloat(String name, float fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            float f = Float.parseFloat(v);
            if (f >= 0 && f < 1) return f;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " must be a number in [0, 1), got '" + v + "'");
    }
}
