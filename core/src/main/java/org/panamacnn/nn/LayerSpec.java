package org.panamacnn.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads back what {@link Layer#spec()} writes: a layer name and "key=value" settings. In a
 * model-definition file some settings may be left out: a convolution's or dense layer's {@code in}
 * and batch norm's {@code channels} (taken from the input shape), a convolution's {@code stride}
 * (1) and {@code pad} (0), a pool's {@code stride} (its window) and leaky ReLU's {@code slope} (0.01).
 */
public final class LayerSpec {
    private LayerSpec() {}

    /** Deepest nesting of residual blocks in one spec (ResNets nest one level). */
    public static final int MAX_NESTING = 8;

    public static Layer parse(String spec) {
        return parse(spec, 0);
    }

    private static Layer parse(String spec, int depth) {
        if (spec.trim().startsWith("residual ") || spec.trim().equals("residual")) {
            if (depth >= MAX_NESTING) {
                throw new IllegalArgumentException("residual blocks nest deeper than " + MAX_NESTING + " levels");
            }
            return residual(spec.trim(), depth + 1);
        }
        String[] parts = spec.trim().split("\\s+");
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad layer setting '" + parts[i] + "' in \"" + spec + "\"");
            args.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        Layer layer = switch (parts[0]) {
            case "conv2d" -> new Conv2d(get(args, "in", 0, spec), get(args, "out", spec), get(args, "kernel", spec),
                    get(args, "stride", 1, spec), get(args, "pad", 0, spec));
            case "maxpool2d" -> {
                int window = get(args, "window", spec);
                yield new MaxPool2d(window, get(args, "stride", window, spec));
            }
            case "dense" -> new Dense(get(args, "in", 0, spec), get(args, "out", spec));
            case "relu" -> new ReLU();
            case "avgpool2d" -> {
                int window = get(args, "window", spec);
                yield new AvgPool2d(window, get(args, "stride", window, spec));
            }
            case "globalavgpool2d" -> new GlobalAvgPool2d();
            case "batchnorm2d" -> new BatchNorm2d(get(args, "channels", 0, spec));
            case "leakyrelu" -> new LeakyReLU(args.containsKey("slope") ? getFloat(args, "slope", spec) : LeakyReLU.DEFAULT_SLOPE);
            case "flatten" -> new Flatten();
            case "dropout" -> new Dropout(args.containsKey("p") ? getFloat(args, "p", spec) : 0.5f);
            default -> throw new IllegalArgumentException("unknown layer \"" + parts[0] + "\" in \"" + spec + "\"");
        };
        if (!args.isEmpty()) throw new IllegalArgumentException("unknown settings " + args.keySet() + " in \"" + spec + "\"");
        return layer;
    }

    private static String value(Map<String, String> args, String key, String spec) {
        String v = args.remove(key);
        if (v == null) throw new IllegalArgumentException("layer \"" + spec + "\" lacks " + key + "=");
        return v;
    }

    /** "residual main=[a | b ...] shortcut=[...]" (shortcut optional: the identity); paths may nest. */
    private static Layer residual(String spec, int depth) {
        String main = bracketed(spec, "main=[");
        if (main == null) throw new IllegalArgumentException("residual block without main=[...] in \"" + spec + "\"");
        String shortcut = bracketed(spec, "shortcut=[");
        return new Residual(path(main, depth), shortcut == null ? List.of() : path(shortcut, depth));
    }

    /** The text between key's '[' and its matching ']', or null when key is absent at the top level. */
    private static String bracketed(String spec, String key) {
        int depth = 0;
        for (int i = 0; i < spec.length(); i++) {
            char ch = spec.charAt(i);
            if (depth == 0 && spec.startsWith(key, i)) {
                int open = i + key.length(), d = 1;
                for (int j = open; j < spec.length(); j++) {
                    if (spec.charAt(j) == '[') d++;
                    else if (spec.charAt(j) == ']' && --d == 0) return spec.substring(open, j);
                }
                throw new IllegalArgumentException("unclosed '[' after " + key + " in \"" + spec + "\"");
            }
            if (ch == '[') depth++;
            else if (ch == ']') depth--;
        }
        return null;
    }

    /** Layer specs separated by '|' outside brackets. */
    private static List<Layer> path(String text, int nesting) {
        List<Layer> layers = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char ch = i < text.length() ? text.charAt(i) : '|';
            if (ch == '[') depth++;
            else if (ch == ']') depth--;
            else if (ch == '|' && depth == 0) {
                String part = text.substring(start, i).trim();
                if (!part.isEmpty()) layers.add(parse(part, nesting));
                start = i + 1;
            }
        }
        return layers;
    }

    /** An optional setting: the default when absent (0 for "take it from the input shape"). */
    private static int get(Map<String, String> args, String key, int absent, String spec) {
        return args.containsKey(key) ? get(args, key, spec) : absent;
    }

    private static int get(Map<String, String> args, String key, String spec) {
        String v = value(args, key, spec);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in '" + key + "=" + v + "' of \"" + spec + "\"");
        }
    }

    private static float getFloat(Map<String, String> args, String key, String spec) {
        String v = value(args, key, spec);
        try {
            float f = Float.parseFloat(v);
            if (Float.isFinite(f)) return f;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad number in '" + key + "=" + v + "' of \"" + spec + "\"");
    }
}
