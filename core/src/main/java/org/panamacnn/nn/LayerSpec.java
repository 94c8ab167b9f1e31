package org.panamacnn.nn;

import java.util.HashMap;
import java.util.Map;

/** Reads back what {@link Layer#spec()} writes: a layer name and "key=value" settings. */
public final class LayerSpec {
    private LayerSpec() {}

    public static Layer parse(String spec) {
        String[] parts = spec.trim().split("\\s+");
        Map<String, Integer> args = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad layer setting '" + parts[i] + "' in \"" + spec + "\"");
            try {
                args.put(parts[i].substring(0, eq), Integer.valueOf(parts[i].substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number in '" + parts[i] + "' of \"" + spec + "\"");
            }
        }
        Layer layer = switch (parts[0]) {
            case "conv2d" -> new Conv2d(get(args, "in", spec), get(args, "out", spec), get(args, "kernel", spec),
                    get(args, "stride", spec), get(args, "pad", spec));
            case "maxpool2d" -> new MaxPool2d(get(args, "window", spec), get(args, "stride", spec));
            case "dense" -> new Dense(get(args, "in", spec), get(args, "out", spec));
            case "relu" -> new ReLU();
            case "flatten" -> new Flatten();
            default -> throw new IllegalArgumentException("unknown layer \"" + parts[0] + "\" in \"" + spec + "\"");
        };
        if (!args.isEmpty()) throw new IllegalArgumentException("unknown settings " + args.keySet() + " in \"" + spec + "\"");
        return layer;
    }

    private static int get(Map<String, Integer> args, String key, String spec) {
        Integer v = args.remove(key);
        if (v == null) throw new IllegalArgumentException("layer \"" + spec + "\" lacks " + key + "=");
        return v;
    }
}
