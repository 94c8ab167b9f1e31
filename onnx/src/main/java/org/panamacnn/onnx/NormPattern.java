package org.panamacnn.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.onnx.proto.Onnx;

/**
 * The forms PyTorch's exporters (legacy at opset 17, dynamo) write for the norms with per-sample
 * statistics, each replaced by one node of this importer's own domain ({@link AdaptivePoolPattern#DOMAIN}):
 * <ul>
 *   <li>torchvision's ConvNeXt LayerNorm2d (permute to NHWC, layer norm over C, permute back):
 *       Transpose(perm [0, 2, 3, 1]) → LayerNormalization(axis −1, scale [C], bias [C]) →
 *       Transpose(perm [0, 3, 1, 2]), becomes {@link #LAYER_NORM_2D}(x, scale, bias) with its epsilon;</li>
 *   <li>nn.GroupNorm(G, C), which both exporters write through InstanceNormalization:
 *       Reshape(x, [0, G, −1]) → InstanceNormalization(scale 1 × G, bias 0 × G) → Reshape(·, Shape(x)),
 *       then, when affine, Mul by γ [C, 1, 1] and Add β [C, 1, 1]; becomes {@link #GROUP_NORM}(x, γ, β)
 *       with attributes groups and epsilon (γ and β absent when there is no Mul / Add to fold).</li>
 * </ul>
 * nn.LayerNorm([C, H, W]) is one LayerNormalization(axis −3) and needs no pass. A
 * LayerNormalization over the last axis, or a Reshape feeding an InstanceNormalization, in any
 * other company is an error naming the node and what differs (perms and axes are checked exactly).
 */
final class NormPattern {
    static final String LAYER_NORM_2D = "LayerNorm2d", GROUP_NORM = "GroupNorm";

    private final Map<String, Onnx.NodeProto> producer = new HashMap<>();
    private final Map<String, List<Onnx.NodeProto>> consumers = new HashMap<>();
    private final Map<String, float[]> floats;
    private final Map<String, long[]> ints, dims;
    private final String file;

    private NormPattern(Onnx.GraphProto g, Map<String, float[]> floats, Map<String, long[]> ints, Map<String, long[]> dims, String file) {
        this.floats = floats;
        this.ints = ints;
        this.dims = dims;
        this.file = file;
        for (Onnx.NodeProto n : g.getNodeList()) {
            for (String out : n.getOutputList()) producer.put(out, n);
            for (String in : n.getInputList()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
    }

    static Onnx.GraphProto fuse(Onnx.GraphProto g, Map<String, float[]> floats, Map<String, long[]> ints, Map<String, long[]> dims, String file)
            throws OnnxFormatException {
        NormPattern p = new NormPattern(g, floats, ints, dims, file);
        Map<Onnx.NodeProto, Onnx.NodeProto> replaced = new IdentityHashMap<>(); // the last node → the fused one; the others → null
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("LayerNormalization") && isLastAxis(n)) p.layerNorm2d(n, replaced);
            else if (n.getOpType().equals("InstanceNormalization") && p.isReshaped(n)) p.groupNorm(n, replaced);
        }
        if (replaced.isEmpty()) return g;
        Onnx.GraphProto.Builder b = g.toBuilder().clearNode();
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (!replaced.containsKey(n)) b.addNode(n);
            else if (replaced.get(n) != null) b.addNode(replaced.get(n));
        }
        return b.build();
    }

    /** A LayerNormalization over the last axis (−1, or 3 of a 4-d tensor), which on NCHW needs the transposes around it. */
    private static boolean isLastAxis(Onnx.NodeProto n) {
        long axis = attribute(n, "axis", -1);
        return axis == -1 || axis == 3;
    }

    private void layerNorm2d(Onnx.NodeProto ln, Map<Onnx.NodeProto, Onnx.NodeProto> replaced) throws OnnxFormatException {
        String why = "LayerNormalization over the last axis is supported only as ConvNeXt's LayerNorm2d, Transpose(perm [0, 2, 3, 1]) → "
                + "LayerNormalization(axis -1) → Transpose(perm [0, 3, 1, 2]); here ";
        Onnx.NodeProto before = producer.get(ln.getInput(0));
        if (before == null || !before.getOpType().equals("Transpose") || !perm(before, 0, 2, 3, 1)) {
            throw fail(ln, why + "its input is not Transpose(x, perm [0, 2, 3, 1])" + found(before));
        }
        if (sole(before) != ln) throw fail(ln, why + "the transposed tensor feeds other nodes too");
        Onnx.NodeProto after = sole(ln);
        if (after == null || !after.getOpType().equals("Transpose") || !perm(after, 0, 3, 1, 2)) {
            throw fail(ln, why + "it is not followed by Transpose(perm [0, 3, 1, 2]) alone" + found(after));
        }
        requireOneOutputUsed(ln);
        if (ln.getInputCount() < 2 || !floats.containsKey(ln.getInput(1)) || dims.get(ln.getInput(1)).length != 1) {
            throw fail(ln, why + "its scale is not a constant vector of one value per channel");
        }
        Onnx.NodeProto.Builder fused = Onnx.NodeProto.newBuilder().setOpType(LAYER_NORM_2D).setDomain(AdaptivePoolPattern.DOMAIN)
                .setName(name(ln)).addInput(before.getInput(0)).addInput(ln.getInput(1)).addOutput(after.getOutput(0));
        if (ln.getInputCount() > 2 && !ln.getInput(2).isEmpty()) fused.addInput(ln.getInput(2));
        for (Onnx.AttributeProto a : ln.getAttributeList()) if (!a.getName().equals("axis")) fused.addAttribute(a); // epsilon, stash_type
        replaced.put(before, null);
        replaced.put(ln, null);
        replaced.put(after, fused.build());
    }

    /** Whether n reads a Reshape (the group form); a plain InstanceNormalization of an NCHW tensor is nn.InstanceNorm2d. */
    private boolean isReshaped(Onnx.NodeProto n) {
        Onnx.NodeProto before = n.getInputCount() > 0 ? producer.get(n.getInput(0)) : null;
        return before != null && before.getOpType().equals("Reshape");
    }

    private void groupNorm(Onnx.NodeProto in, Map<Onnx.NodeProto, Onnx.NodeProto> replaced) throws OnnxFormatException {
        String why = "InstanceNormalization of a reshaped tensor is supported only as nn.GroupNorm's export, Reshape(x, [0, G, -1]) → "
                + "InstanceNormalization(scale all 1, bias all 0) → Reshape(·, Shape(x)); here ";
        Onnx.NodeProto reshape = producer.get(in.getInput(0));
        long[] shape = reshape.getInputCount() == 2 ? ints.get(reshape.getInput(1)) : null;
        if (shape == null || shape.length != 3 || shape[0] != 0 || shape[1] < 1 || shape[2] != -1) {
            throw fail(in, why + "the Reshape before it has shape " + (shape == null ? "not a constant" : Arrays.toString(shape)) + ", not [0, G, -1]");
        }
        if (sole(reshape) != in) throw fail(in, why + "the reshaped tensor feeds other nodes too");
        int groups = (int) Math.min(shape[1], Integer.MAX_VALUE);
        float[] scale = in.getInputCount() > 1 ? floats.get(in.getInput(1)) : null, bias = in.getInputCount() > 2 ? floats.get(in.getInput(2)) : null;
        if (scale == null || bias == null || scale.length != groups || bias.length != groups || !all(scale, 1f) || !all(bias, 0f)) {
            throw fail(in, why + "its scale and bias are not constants of " + groups + " ones and zeros");
        }
        String x = reshape.getInput(0);
        Onnx.NodeProto back = sole(in);
        Onnx.NodeProto shapeOf = back == null || back.getInputCount() != 2 ? null : producer.get(back.getInput(1));
        if (back == null || !back.getOpType().equals("Reshape") || shapeOf == null || !shapeOf.getOpType().equals("Shape")
                || !shapeOf.getInput(0).equals(x) || attribute(shapeOf, "start", 0) != 0 || hasAttribute(shapeOf, "end") || sole(shapeOf) != back) {
            throw fail(in, why + "it is not followed by Reshape(·, Shape(x)) alone, x the input of the first Reshape");
        }
        Onnx.NodeProto last = back, mul = sole(back), add = null;
        String gamma = null, beta = null;
        if (mul != null && mul.getOpType().equals("Mul") && (gamma = perChannel(mul, back.getOutput(0))) != null) {
            last = mul;
            add = sole(mul);
            if (add != null && add.getOpType().equals("Add") && (beta = perChannel(add, mul.getOutput(0))) != null) last = add;
            else add = null;
        } else {
            mul = null;
        }
        Onnx.NodeProto.Builder fused = Onnx.NodeProto.newBuilder().setOpType(GROUP_NORM).setDomain(AdaptivePoolPattern.DOMAIN)
                .setName(name(in)).addInput(x).addInput(gamma == null ? "" : gamma).addInput(beta == null ? "" : beta).addOutput(last.getOutput(0))
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("groups").setI(groups))
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("epsilon").setF(epsilon(in)));
        for (Onnx.NodeProto n : new Onnx.NodeProto[] {reshape, in, back, shapeOf, mul, add}) if (n != null) replaced.put(n, null);
        replaced.put(last, fused.build());
    }

    /** The constant operand of a Mul / Add of `mine` and one value per channel ([C, 1, 1] or [1, C, 1, 1]), else null. */
    private String perChannel(Onnx.NodeProto n, String mine) {
        if (n.getInputCount() != 2) return null;
        String other = n.getInput(0).equals(mine) ? n.getInput(1) : n.getInput(1).equals(mine) ? n.getInput(0) : null;
        if (other == null || other.equals(mine) || !floats.containsKey(other)) return null;
        long[] d = dims.get(other);
        boolean ok = (d.length == 3 || d.length == 4 && d[0] == 1) && d[d.length - 1] == 1 && d[d.length - 2] == 1;
        return ok ? other : null;
    }

    private static float epsilon(Onnx.NodeProto n) {
        for (Onnx.AttributeProto a : n.getAttributeList()) if (a.getName().equals("epsilon")) return a.getF();
        return 1e-5f;
    }

    private static boolean all(float[] v, float value) {
        for (float f : v) if (f != value) return false;
        return true;
    }

    /** The optional outputs (a layer norm's Mean and InvStdDev) must be unread. */
    private void requireOneOutputUsed(Onnx.NodeProto n) throws OnnxFormatException {
        for (int i = 1; i < n.getOutputCount(); i++) {
            if (!n.getOutput(i).isEmpty() && !consumers.getOrDefault(n.getOutput(i), List.of()).isEmpty()) {
                throw fail(n, "its output " + i + " (" + n.getOutput(i) + ", the saved statistics) is read by another node; only the normalised output is supported");
            }
        }
    }

    private static String found(Onnx.NodeProto n) {
        return n == null ? "" : " (found " + n.getOpType() + (n.getOpType().equals("Transpose") ? " with perm " + permOf(n) : "") + ")";
    }

    private static List<Long> permOf(Onnx.NodeProto n) {
        for (Onnx.AttributeProto a : n.getAttributeList()) if (a.getName().equals("perm")) return a.getIntsList();
        return List.of();
    }

    private static boolean perm(Onnx.NodeProto n, long... expected) {
        return permOf(n).equals(Arrays.stream(expected).boxed().toList());
    }

    private static long attribute(Onnx.NodeProto n, String name, long absent) {
        for (Onnx.AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return a.getI();
        return absent;
    }

    private static boolean hasAttribute(Onnx.NodeProto n, String name) {
        for (Onnx.AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return true;
        return false;
    }

    /** The one node reading n's first output, or null. */
    private Onnx.NodeProto sole(Onnx.NodeProto n) {
        List<Onnx.NodeProto> c = consumers.getOrDefault(n.getOutput(0), List.of());
        return c.size() == 1 ? c.getFirst() : null;
    }

    private static String name(Onnx.NodeProto n) {
        return n.getName().isEmpty() ? n.getOutput(0) : n.getName();
    }

    private OnnxFormatException fail(Onnx.NodeProto n, String why) {
        return new OnnxFormatException(file, "node '" + name(n) + "' (" + n.getOpType() + "): " + why);
    }
}
