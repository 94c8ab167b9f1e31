package org.panamacnn.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.panamacnn.tensor.Shape;

/**
 * Reads back what {@link Layer#spec()} writes: a layer name and "key=value" settings. In a
 * model-definition file some settings may be left out: a convolution's or dense layer's {@code in}
 * and batch norm's {@code channels} (taken from the input shape), a convolution's {@code stride}
 * (1), {@code dilation} (1) and {@code pad} (0) — its kernel, stride and dilation may be one size or
 * height,width and its pad P, PH,PW, T,L,B,R, same or same_lower —, a pool's {@code stride} (its window), {@code pad} (0), {@code ceil} (false) and an average pool's
 * {@code count_include_pad} (true), an adaptive average pool's {@code out} is one size (square) or height,width; leaky ReLU's {@code slope} (0.01), gelu's {@code approximate} (none), affine's
 * {@code scale} (1) and {@code shift} (0), the eps of layernorm2d, layernorm and groupnorm (1e-5).
 */
public final class LayerSpec {
    private LayerSpec() {}

    /** The merge nodes of a graph, by the word that names them in a spec. */
    private static final Map<String, Supplier<Merge>> MERGES = Map.of(
            "add", Add::new,
            "concat", Concat::new,
            "mul", Multiply::new);

    /** Deepest nesting of residual blocks in one spec (ResNets nest one level). */
    public static final int MAX_NESTING = 8;

    public static Layer parse(String spec) {
        requireNestingWithin(spec, MAX_NESTING);
        return parse(spec, 0);
    }

    /**
     * Refuses, in one pass over the text, a spec whose blocks (main=[, shortcut=[, nodes=[) nest
     * deeper than levels: the parser would otherwise copy and rescan the whole text once per
     * level before reaching the one it refuses.
     */
    private static void requireNestingWithin(String spec, int levels) {
        java.util.BitSet nesting = new java.util.BitSet(); // per open '[': does it open a block?
        int open = 0, blocks = 0;
        for (int i = 0; i < spec.length(); i++) {
            char ch = spec.charAt(i);
            if (ch == '[') {
                boolean block = spec.startsWith("main=", i - 5) || spec.startsWith("nodes=", i - 6) || spec.startsWith("shortcut=", i - 9);
                nesting.set(open++, block);
                if (block && ++blocks > levels) throw new IllegalArgumentException(nestedTooDeep());
            } else if (ch == ']' && open > 0) {
                if (nesting.get(--open)) blocks--;
            }
        }
    }

    private static String nestedTooDeep() {
        return "residual blocks and graphs nest deeper than " + MAX_NESTING + " levels";
    }

    private static Layer parse(String spec, int depth) {
        String head = spec.trim().split("\\s+", 2)[0];
        if (head.equals("residual") || head.equals("graph")) {
            if (depth >= MAX_NESTING) {
                throw new IllegalArgumentException(nestedTooDeep());
            }
            return head.equals("graph") ? graph(spec.trim(), depth + 1) : residual(spec.trim(), depth + 1);
        }
        if (MERGES.containsKey(head)) {
            throw new IllegalArgumentException("\"" + head + "\" merges several inputs: it belongs in a graph node with its inputs, e.g. \"sum(a, b): " + head + "\"");
        }
        String[] parts = spec.trim().split("\\s+");
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("bad layer setting '" + parts[i] + "' in \"" + spec + "\"");
            args.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        Layer layer = switch (parts[0]) {
            case "conv2d" -> conv2d(args, spec);
            case "maxpool2d" -> {
                int window = get(args, "window", spec), stride = get(args, "stride", window, spec), pad = get(args, "pad", 0, spec);
                yield getBoolean(args, "ceil", false, spec) ? WindowPool2d.max(window, stride, pad, true) : new MaxPool2d(window, stride, pad);
            }
            case "dense" -> new Dense(get(args, "in", 0, spec), get(args, "out", spec));
            case "relu" -> new ReLU();
            case "avgpool2d" -> {
                int window = get(args, "window", spec), stride = get(args, "stride", window, spec), pad = get(args, "pad", 0, spec);
                boolean ceil = getBoolean(args, "ceil", false, spec), countPad = getBoolean(args, "count_include_pad", true, spec);
                yield pad == 0 && !ceil ? new AvgPool2d(window, stride) : WindowPool2d.average(window, stride, pad, ceil, countPad);
            }
            case "globalavgpool2d" -> new GlobalAvgPool2d();
            case "adaptiveavgpool2d" -> {  // out=7 (7×7) or out=7,5 (height, width), as PyTorch's output_size
                String[] out = value(args, "out", spec).split(",", -1);
                if (out.length > 2) throw new IllegalArgumentException("'out=' of \"" + spec + "\" takes one size or height,width");
                int oh = get(new HashMap<>(Map.of("out", out[0])), "out", spec), ow = out.length == 2 ? get(new HashMap<>(Map.of("out", out[1])), "out", spec) : oh;
                yield new AdaptiveAvgPool2d(oh, ow);
            }
            case "batchnorm2d" -> new BatchNorm2d(get(args, "channels", 0, spec));
            case "layernorm2d", "layernorm", "groupnorm" -> sampleNorm(parts[0], args, spec);
            case "leakyrelu" -> new LeakyReLU(args.containsKey("slope") ? getFloat(args, "slope", spec) : LeakyReLU.DEFAULT_SLOPE);
            case "relu6" -> PointwiseActivation.relu6();
            case "clip" -> PointwiseActivation.clip(getFloat(args, "min", spec), getFloat(args, "max", spec));
            case "hardsigmoid" -> args.containsKey("alpha") || args.containsKey("beta")
                    ? PointwiseActivation.hardSigmoid(getFloat(args, "alpha", spec), getFloat(args, "beta", spec)) : PointwiseActivation.hardSigmoid();
            case "hardswish" -> PointwiseActivation.hardSwish();
            case "sigmoid" -> PointwiseActivation.sigmoid();
            case "silu" -> PointwiseActivation.silu();
            case "tanh" -> SmoothActivation.tanh();
            case "gelu" -> switch (args.containsKey("approximate") ? value(args, "approximate", spec) : "none") {
                case "none" -> SmoothActivation.gelu();
                case "tanh" -> SmoothActivation.geluTanh();
                default -> throw new IllegalArgumentException("gelu approximate= must be none or tanh in \"" + spec + "\"");
            };
            case "affine" -> new ChannelAffine(args.containsKey("scale") ? getFloats(args, "scale", spec) : new float[] {1f},
                    args.containsKey("shift") ? getFloats(args, "shift", spec) : new float[] {0f});
            case "divide" -> new ChannelDivide(getFloats(args, "by", spec));
            case "flatten" -> new Flatten();
            case "convtranspose2d", "upsample" -> upsampling(parts[0], args, spec);
            case "dropout" -> new Dropout(args.containsKey("p") ? getFloat(args, "p", spec) : 0.5f);
            default -> throw new IllegalArgumentException("unknown layer \"" + parts[0] + "\" in \"" + spec + "\"");
        };
        if (!args.isEmpty()) throw new IllegalArgumentException("unknown settings " + args.keySet() + " in \"" + spec + "\"");
        return layer;
    }

    /**
     * "conv2d out= kernel=K|KH,KW [stride=S|SH,SW] [dilation=D|DH,DW] [pad=P|PH,PW|T,L,B,R|same|same_lower]
     * [groups=G] [bias=false] [in=C]": a {@link Conv2d} when the window is square, undilated and evenly
     * padded (its fast paths; every existing definition is one), a {@link GroupedConv2d} for groups, else a
     * {@link GeneralConv2d}.
     */
    private static Layer conv2d(Map<String, String> args, String spec) {
        int groups = get(args, "groups", 1, spec);
        boolean bias = !"false".equals(args.remove("bias"));
        int in = get(args, "in", 0, spec), out = get(args, "out", spec);
        int[] k = pair(args, "kernel", null, spec), s = pair(args, "stride", new int[] {1, 1}, spec), d = pair(args, "dilation", new int[] {1, 1}, spec);
        ConvPadding pad = padding(args, spec);
        boolean square = k[0] == k[1] && s[0] == s[1] && d[0] == 1 && d[1] == 1;
        if (square && pad.mode() == ConvPadding.Mode.SAME_UPPER && s[0] == 1 && k[0] % 2 == 1) pad = ConvPadding.uniform((k[0] - 1) / 2);
        if (square && pad.isUniform()) {
            return groups != 1 ? new GroupedConv2d(in, out, k[0], s[0], pad.top(), groups, bias) : new Conv2d(in, out, k[0], s[0], pad.top(), bias);
        }
        if (groups != 1) {
            throw new IllegalArgumentException("groups=" + groups + " needs a square kernel, one stride, no dilation and the same padding on every side, in \"" + spec + "\"");
        }
        return new GeneralConv2d(in, out, k[0], k[1], s[0], s[1], d[0], d[1], pad, bias);
    }

    /** key=A (both A) or key=A,B (height, width); absent: the default (null: required). */
    private static int[] pair(Map<String, String> args, String key, int[] absent, String spec) {
        if (absent != null && !args.containsKey(key)) return absent;
        String[] parts = value(args, key, spec).split(",", -1);
        if (parts.length > 2) throw new IllegalArgumentException("'" + key + "=' of \"" + spec + "\" takes one size or height,width");
        int[] v = new int[2];
        for (int i = 0; i < 2; i++) {
            v[i] = get(new HashMap<>(Map.of(key, parts[Math.min(i, parts.length - 1)])), key, spec); // the layer checks the range, naming it
        }
        return v;
    }

    /** pad=P (every side), PH,PW (top and bottom, left and right), T,L,B,R, same or same_lower; absent: 0. */
    private static ConvPadding padding(Map<String, String> args, String spec) {
        if (!args.containsKey("pad")) return ConvPadding.uniform(0);
        String text = value(args, "pad", spec);
        if (text.equals("same") || text.equals("same_lower")) return ConvPadding.same(text.equals("same"));
        String[] parts = text.split(",", -1);
        if (parts.length != 1 && parts.length != 2 && parts.length != 4) {
            throw new IllegalArgumentException("'pad=" + text + "' of \"" + spec + "\" must be P, PH,PW, T,L,B,R, same or same_lower");
        }
        int[] p = new int[parts.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = get(new HashMap<>(Map.of("pad", parts[i])), "pad", spec);
            if (p[i] < 0) throw new IllegalArgumentException("'pad=" + text + "' of \"" + spec + "\" must not be negative");
        }
        return switch (p.length) {
            case 1 -> ConvPadding.uniform(p[0]);
            case 2 -> ConvPadding.of(p[0], p[1], p[0], p[1]);
            default -> ConvPadding.of(p[0], p[1], p[2], p[3]);
        };
    }

    /**
     * The upsampling layers: "convtranspose2d [in=] out= kernel= [stride=1] [pad=0] [output_pad=0] [bias=false]"
     * and "upsample scale=S|SH,SW [mode=nearest|bilinear] [align_corners=true|false]".
     */
    private static Layer upsampling(String name, Map<String, String> args, String spec) {
        if (name.equals("convtranspose2d")) {
            boolean bias = getBoolean(args, "bias", true, spec);
            int in = get(args, "in", 0, spec), out = get(args, "out", spec), k = get(args, "kernel", spec);
            int stride = get(args, "stride", 1, spec), pad = get(args, "pad", 0, spec), outputPad = get(args, "output_pad", 0, spec);
            return new ConvTranspose2d(in, out, k, stride, pad, outputPad, bias);
        }
        String[] scale = value(args, "scale", spec).split(",", -1);
        if (scale.length > 2) throw new IllegalArgumentException("'scale=' of \"" + spec + "\" takes one factor or height,width");
        int sh = get(new HashMap<>(Map.of("scale", scale[0])), "scale", spec), sw = scale.length == 2 ? get(new HashMap<>(Map.of("scale", scale[1])), "scale", spec) : sh;
        String mode = args.containsKey("mode") ? value(args, "mode", spec) : "nearest";
        if (!mode.equals("nearest") && !mode.equals("bilinear")) {
            throw new IllegalArgumentException("upsample mode=" + mode + " of \"" + spec + "\" must be nearest or bilinear");
        }
        boolean alignCorners = getBoolean(args, "align_corners", false, spec);
        return new Upsample2d(sh, sw, mode.equals("nearest") ? Upsample2d.Mode.NEAREST : Upsample2d.Mode.BILINEAR, alignCorners);
    }

    /**
     * The norms with per-sample statistics: "layernorm2d [channels=C]" (over each pixel's channels, ConvNeXt's),
     * "layernorm [shape=C,H,W]" (over a whole sample, weight per element), "groupnorm groups=G [channels=C]";
     * eps optional (1e-5); the shape settings, which a built layer's spec writes, are checked against the input.
     */
    private static Layer sampleNorm(String name, Map<String, String> args, String spec) {
        float eps = args.containsKey("eps") ? getFloat(args, "eps", spec) : GroupNorm.DEFAULT_EPS;
        if (!(eps > 0)) throw new IllegalArgumentException("'eps=" + eps + "' of \"" + spec + "\" must be positive");
        return switch (name) {
            case "layernorm2d" -> new LayerNorm2d(get(args, "channels", 0, spec), eps);
            case "layernorm" -> {
                if (!args.containsKey("shape")) yield GroupNorm.layerNorm(eps);
                String[] d = value(args, "shape", spec).split(",", -1);
                if (d.length != 3) throw new IllegalArgumentException("'shape=' of \"" + spec + "\" takes C,H,W");
                int[] dims = new int[3];
                for (int i = 0; i < 3; i++) dims[i] = get(new HashMap<>(Map.of("shape", d[i])), "shape", spec);
                if (dims[0] < 1 || dims[1] < 1 || dims[2] < 1) throw new IllegalArgumentException("'shape=' of \"" + spec + "\" must be positive");
                yield GroupNorm.layerNorm(Shape.of(dims), eps);
            }
            default -> GroupNorm.groupNorm(get(args, "groups", spec), get(args, "channels", 0, spec), eps);
        };
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
        for (String part : split(text)) layers.add(parse(part, nesting));
        return layers;
    }

    /** The non-empty parts of text between '|' outside brackets. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i <= text.length(); i++) {
            char ch = i < text.length() ? text.charAt(i) : '|';
            if (ch == '[') depth++;
            else if (ch == ']') depth--;
            else if (ch == '|' && depth == 0) {
                String part = text.substring(start, i).trim();
                if (!part.isEmpty()) parts.add(part);
                start = i + 1;
            }
        }
        return parts;
    }

    /** "graph [root=true] nodes=[name: spec | name(in, in): spec | ...]" (see {@link Graph#spec()}). */
    private static Layer graph(String spec, int depth) {
        String body = bracketed(spec, "nodes=[");
        if (body == null) throw new IllegalArgumentException("graph without nodes=[...] in \"" + spec + "\"");
        String settings = spec.substring("graph".length(), spec.indexOf("nodes=[")).trim();
        if (!settings.isEmpty() && !settings.equals("root=true") && !settings.equals("root=false")) {
            throw new IllegalArgumentException("a graph takes only root=true|false before nodes=[...], not \"" + settings + "\"");
        }
        List<Graph.Node> nodes = new ArrayList<>();
        for (String part : split(body)) {
            int colon = part.indexOf(':'), bracket = part.indexOf('[');
            if (colon < 0 || bracket >= 0 && bracket < colon) {
                throw new IllegalArgumentException("graph node \"" + part + "\" is not \"name: layer\" or \"name(inputs): layer\"");
            }
            String head = part.substring(0, colon).trim(), body2 = part.substring(colon + 1).trim();
            String name = head;
            List<String> inputs = null;
            int open = head.indexOf('(');
            if (open >= 0) {
                if (!head.endsWith(")")) throw new IllegalArgumentException("graph node \"" + part + "\": unclosed '(' in its inputs");
                name = head.substring(0, open).trim();
                inputs = new ArrayList<>();
                for (String in : head.substring(open + 1, head.length() - 1).split(",")) inputs.add(in.trim());
            }
            nodes.add(node(name, inputs, body2, nodes, depth));
        }
        return settings.equals("root=true") ? Graph.root(nodes) : new Graph(nodes);
    }

    /**
     * A graph node from its parts; inputs null means the node before (or the graph's input for
     * the first). Used by {@link #parse} and by model-definition files.
     */
    public static Graph.Node node(String name, List<String> inputs, String spec, List<Graph.Node> before, int depth) {
        String head = spec.trim().split("\\s+", 2)[0];
        if (MERGES.containsKey(head)) {
            if (!spec.trim().equals(head)) throw new IllegalArgumentException("node '" + name + "': " + head + " takes no settings, got \"" + spec + "\"");
            if (inputs == null) throw new IllegalArgumentException("node '" + name + "': " + head + " needs its inputs named, e.g. " + name + "(a, b): " + head);
            return new Graph.Node(name, null, MERGES.get(head).get(), inputs);
        }
        List<String> in = inputs != null ? inputs : List.of(before.isEmpty() ? Graph.INPUT : before.getLast().name());
        try {
            requireNestingWithin(spec, MAX_NESTING - depth);
            return new Graph.Node(name, parse(spec, depth), null, in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("node '" + name + "': " + e.getMessage(), e);
        }
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

    /** An optional true / false setting. */
    private static boolean getBoolean(Map<String, String> args, String key, boolean absent, String spec) {
        if (!args.containsKey(key)) return absent;
        String v = value(args, key, spec);
        if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException("'" + key + "=" + v + "' of \"" + spec + "\" must be true or false");
        return v.equals("true");
    }

    /** Comma-separated finite floats: one value, or one per channel. */
    private static float[] getFloats(Map<String, String> args, String key, String spec) {
        String[] parts = value(args, key, spec).split(",", -1);
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Map<String, String> one = new HashMap<>(Map.of(key, parts[i]));
            v[i] = getFloat(one, key, spec);
        }
        return v;
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
