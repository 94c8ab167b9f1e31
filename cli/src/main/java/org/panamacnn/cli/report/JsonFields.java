package org.panamacnn.cli.report;

import java.util.List;
import java.util.Map;

/** The fields of a parsed JSON object, each read as the type it must have, or an error naming where and which. */
final class JsonFields {
    private final String where;
    private final Map<?, ?> map;

    /** {@code where}: the file (and entry) for messages; {@code parsed}: what {@link org.panamacnn.io.Json#parse} gave. */
    JsonFields(String where, Object parsed) {
        if (!(parsed instanceof Map<?, ?> m)) throw new IllegalArgumentException(where + ": not a JSON object");
        this.where = where;
        this.map = m;
    }

    boolean has(String key) {
        return map.containsKey(key);
    }

    String text(String key) {
        if (map.get(key) instanceof String s) return s;
        throw new IllegalArgumentException(where + ": \"" + key + "\" is missing or not text");
    }

    double number(String key) {
        if (map.get(key) instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(where + ": \"" + key + "\" is missing or not a number");
    }

    double[] numbers(String key) {
        List<?> l = list(key);
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) {
            if (!(l.get(i) instanceof Number n)) throw new IllegalArgumentException(where + ": \"" + key + "\" holds " + l.get(i) + ", not a number");
            v[i] = n.doubleValue();
        }
        return v;
    }

    List<?> list(String key) {
        if (map.get(key) instanceof List<?> l) return l;
        throw new IllegalArgumentException(where + ": \"" + key + "\" is missing or not a list");
    }
}
