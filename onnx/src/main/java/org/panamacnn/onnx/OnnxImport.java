package org.panamacnn.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.panamacnn.nn.AdaptiveAvgPool2d;
import org.panamacnn.nn.Add;
import org.panamacnn.nn.AvgPool2d;
import org.panamacnn.nn.Concat;
import org.panamacnn.nn.Graph;
import org.panamacnn.nn.BatchNorm2d;
import org.panamacnn.nn.BuildContext;
import org.panamacnn.nn.ChannelAffine;
import org.panamacnn.nn.ChannelDivide;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.ConvPadding;
import org.panamacnn.nn.GeneralConv2d;
import org.panamacnn.nn.ConvTranspose2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.EngineOptions;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.GlobalAvgPool2d;
import org.panamacnn.nn.GroupedConv2d;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.LayerSpec;
import org.panamacnn.nn.LeakyReLU;
import org.panamacnn.nn.MaxPool2d;
import org.panamacnn.nn.Multiply;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.PointwiseActivation;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Residual;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.SmoothActivation;
import org.panamacnn.nn.Upsample2d;
import org.panamacnn.nn.WindowPool2d;
import org.panamacnn.nn.Weights;
import org.panamacnn.onnx.proto.Onnx;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.ConvGeometry;
import org.panamacnn.tensor.Shape;

/**
 * Reads an ONNX model (e.g. from PyTorch's torch.onnx.export) into a panama-cnn {@link Sequential}.
 *
 * <p>A chain of supported operators with residual blocks (a tensor feeding two branches that an
 * Add joins) becomes layers and {@link Residual} blocks; any other directed acyclic graph of them
 * (more branches, Concat) becomes a {@link Graph}. Supported operators: Conv (any kernel, strides, dilations, pads and auto_pad;
 * grouped and depthwise with a square kernel, equal strides and pads, no dilation), BatchNormalization, Relu, LeakyRelu, Clip (constant bounds), Sigmoid, HardSigmoid, HardSwish,
 * Tanh, Gelu (and the legacy exporter's erf form), MaxPool and AveragePool (padded, ceil mode, count_include_pad), Add / Sub / Mul / Div
 * by a scalar or per-channel constant, GlobalAveragePool, ReduceMean over H and W, Flatten / Reshape to
 * [batch, features], Gemm (or MatMul + Add), Add, Concat on axis 1 (of one tensor: nothing), the dynamo exporter's
 * AdaptiveAvgPool2d ({@link AdaptivePoolPattern}), ConvTranspose and Resize / Upsample by whole factors
 * (nearest, bilinear), LayerNormalization, InstanceNormalization, GroupNormalization and the exporters'
 * forms of ConvNeXt's LayerNorm2d and nn.GroupNorm ({@link NormPattern}), and Dropout / Identity (nothing at inference); see docs/onnx-operators.md. A final Softmax is dropped: the predictor applies it.
 * Weights must be float initializers. Anything else is an {@link OnnxFormatException} naming the node.
 */
public final class OnnxImport {
    /** Largest file read (protobuf's own limit is 2 GB). */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;
    /**
     * The default-domain opsets whose operators this importer implements as it does: 7 is the
     * first with today's BatchNormalization, Dropout and Reshape; newer ones are refused rather
     * than read with meanings they may have changed.
     */
    public static final int MIN_OPSET = 7, MAX_OPSET = 23;

    private final String file;
    private final Map<String, float[]> floats = new HashMap<>();
    /** The shapes of the float and int64 constants. */
    private final Map<String, long[]> dims = new HashMap<>();
    private final Map<String, long[]> ints = new HashMap<>();
    private final Map<String, List<Onnx.NodeProto>> consumers = new HashMap<>();
    private final Set<Onnx.NodeProto> used = new HashSet<>();
    private final Map<Onnx.NodeProto, Integer> order = new java.util.IdentityHashMap<>();
    private final Map<Layer, Map<String, float[]>> weights = new LinkedHashMap<>();
    /** The node each layer of {@link #weights} was read from, for errors filling it. */
    private final Map<Layer, Onnx.NodeProto> origins = new java.util.IdentityHashMap<>();
    /** The input size each adaptive pool's gather indices were written for: checked against the built model. */
    private final Map<AdaptiveAvgPool2d, int[]> adaptiveInputs = new java.util.IdentityHashMap<>();
    private String output;
    /** The default domain's opset the file declares (GroupNormalization's scale is per group before 21, per channel from 21). */
    private long opset = MAX_OPSET;
    /** Group norms whose scale and bias may need widening to the channels once built (value: groups when the file gives them per group, else 0). */
    private final Map<org.panamacnn.nn.GroupNorm, Integer> perGroupWeights = new java.util.IdentityHashMap<>();
    /** Residual blocks the chain importer is inside: deeper than a model file can hold, the graph importer takes the file. */
    private int nesting;

    private OnnxImport(String file) {
        this.file = file;
    }

    public static Sequential load(Path path, ParallelExecutor executor) throws IOException {
        long size = Files.size(path);
        if (size > MAX_BYTES) throw new OnnxFormatException(path.toString(), size + " bytes is more than the supported " + MAX_BYTES);
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString(), executor);
        }
    }

    /** Reads an ONNX model from a stream named `source` in errors. */
    public static Sequential read(InputStream in, String source, ParallelExecutor executor) throws IOException {
        // no local holds the parsed file: build lets go of its raw weight bytes once they are decoded
        return new OnnxImport(source).build(parse(in, source), executor);
    }

    private static Onnx.ModelProto parse(InputStream in, String source) throws IOException {
        try {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            return Onnx.ModelProto.parseFrom(coded);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(source, "not a valid ONNX (protobuf) file: " + e.getMessage(), e);
        }
    }

    private Sequential build(Onnx.ModelProto model, ParallelExecutor executor) throws OnnxFormatException {
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) throw error("has no graph (is it an ONNX model?)");
        Onnx.GraphProto g = model.getGraph();
        requireSupportedOpset(model);
        long values = 0;
        for (int i = 0; i < g.getNodeCount(); i++) {
            Onnx.NodeProto n = g.getNode(i);
            if (n.getOutputCount() == 0 || n.getOutput(0).isEmpty()) throw error("node " + i + " (" + n.getOpType() + ") has no output");
            if (!isStandardDomain(n.getDomain())) {
                throw error("node " + describe(n) + " is operator " + n.getDomain() + "::" + n.getOpType()
                        + " of a custom domain; only the standard ONNX operators (domain \"\" or ai.onnx) are supported");
            }
        }
        Map<String, Integer> unread = new HashMap<>(); // constants of types no supported operator reads (e.g. a BOOL mask)
        for (Onnx.TensorProto t : g.getInitializerList()) {
            if (OnnxTensors.isNumber(t.getDataType())) values += readInitializer(t);
            else unread.put(t.getName(), t.getDataType());
        }
        // decoded: drop the file's copy of the weights (VGG-11 holds 0.5 GB of them), so that importing a
        // model needs its weights about twice (decoded and in the layers), not three times
        g = g.toBuilder().clearInitializer().build();
        model = null;
        for (Onnx.NodeProto n : g.getNodeList()) {  // Constant nodes are initializers by another name
            if (n.getOpType().equals("Constant") && n.getAttributeCount() == 1 && n.getAttribute(0).hasT()) {
                values += readInitializer(n.getAttribute(0).getT().toBuilder().setName(n.getOutput(0)).build());
                used.add(n);
            } else if (n.getOpType().equals("Identity") && n.getInputCount() == 1 && isConstant(n.getInput(0))) {
                // the legacy exporter copies an initializer that two layers share (torchvision's
                // MobileNetV3 and EfficientNet): the copy is the same constant under a second name
                String from = n.getInput(0), to = n.getOutput(0);
                if (floats.containsKey(from)) floats.put(to, floats.get(from));
                else ints.put(to, ints.get(from));
                dims.put(to, dims.get(from));
                used.add(n);
            }
        }
        g = GeluPattern.fuse(g, floats, file);
        g = AdaptivePoolPattern.fuse(g, ints, dims, file);
        g = NormPattern.fuse(g, floats, ints, dims, file);
        for (Onnx.NodeProto n : g.getNodeList()) { // only now: a pattern's own error says more than the type of its mask
            for (String in : n.getInputList()) {
                if (unread.containsKey(in)) {
                    throw error("node " + describe(n) + " reads initializer " + in + " of data type " + OnnxTensors.typeName(unread.get(in))
                            + "; supported are FLOAT, FLOAT16, BFLOAT16 and DOUBLE weights and INT64 shapes");
                }
            }
        }
        if (g.getOutputCount() != 1) throw error("has " + g.getOutputCount() + " graph outputs; one (the logits) is supported");
        output = g.getOutput(0).getName();
        String input = null;
        Shape inputShape = null;
        for (Onnx.ValueInfoProto v : g.getInputList()) {
            if (floats.containsKey(v.getName()) || ints.containsKey(v.getName())) continue;  // older exporters list initializers as inputs
            if (input != null) throw error("has more than one data input (" + input + ", " + v.getName() + ")");
            input = v.getName();
            inputShape = inputShape(v);
        }
        if (input == null) throw error("has no data input");
        for (Onnx.NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
        for (int i = 0; i < g.getNodeCount(); i++) order.put(g.getNode(i), i);
        List<Layer> layers = new ArrayList<>();
        Set<Onnx.NodeProto> constants = Set.copyOf(used);
        try {
            String end = walk(input, layers, Set.of());
            if (!end.equals(output)) throw new NotAChain("the chain from " + input + " ends at " + end + ", not at the graph output " + output);
            for (Onnx.NodeProto n : g.getNodeList()) {
                if (!used.contains(n)) throw new NotAChain("node " + describe(n) + " is not on the path from input to output");
            }
        } catch (NotAChain notAChain) { // branches beyond residual blocks, or a Concat: a general graph
            used.clear();
            used.addAll(constants);
            weights.clear();
            origins.clear();
            adaptiveInputs.clear();
            perGroupWeights.clear();
            layers.clear();
            layers.add(graph(g, input));
        }
        Shape in = inputShape;
        Sequential seq;
        try {
            // weights must come from the file: bound what the layers may allocate by what it holds
            seq = new Sequential(in, layers, new BuildContext(executor, Weights.limitedTo(2 * values + (1 << 20)), EngineOptions.defaults()));
        } catch (IllegalArgumentException e) {
            throw error("the layers do not fit together: " + e.getMessage());
        }
        for (Map.Entry<org.panamacnn.nn.GroupNorm, Integer> e : perGroupWeights.entrySet()) widenToChannels(e.getKey(), e.getValue());
        for (Map.Entry<Layer, Map<String, float[]>> e : weights.entrySet()) fill(e.getKey(), e.getValue());
        for (Map.Entry<AdaptiveAvgPool2d, int[]> e : adaptiveInputs.entrySet()) {
            Shape s = e.getKey().inputShape();
            int[] hw = e.getValue();
            if (s.dim(1) != hw[0] || s.dim(2) != hw[1]) {
                throw error(e.getKey().describe() + ": its gather indices were written for a " + hw[0] + "×" + hw[1] + " map, but it receives " + s);
            }
        }
        return seq;
    }

    private static boolean isStandardDomain(String domain) {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }

    /** The default domain's opset, when the file declares it, must be one whose operators we implement as they are. */
    private void requireSupportedOpset(Onnx.ModelProto model) throws OnnxFormatException {
        for (Onnx.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (isStandardDomain(o.getDomain())) opset = o.getVersion();
            if (isStandardDomain(o.getDomain()) && (o.getVersion() < MIN_OPSET || o.getVersion() > MAX_OPSET)) {
                throw error("declares ONNX opset " + o.getVersion() + "; supported are opsets " + MIN_OPSET + ".." + MAX_OPSET);
            }
        }
    }

    /**
     * Follows the chain from tensor t, appending layers, until a tensor in `stops` (the inputs of
     * an enclosing residual join) or the graph output; returns the tensor it ended at.
     */
    private String walk(String t, List<Layer> layers, Set<String> stops) throws OnnxFormatException, NotAChain {
        for (int guard = 0; !t.equals(output) && !stops.contains(t); guard++) {
            if (guard > 100_000) throw new NotAChain("the graph does not lead from the input to the output");
            List<Onnx.NodeProto> next = consumers.getOrDefault(t, List.of());
            if (next.size() == 1) {
                if (isJoin(next.getFirst()) || isProduct(next.getFirst())) throw new NotAChain("tensor " + t + " reaches " + describe(next.getFirst()) + " outside a residual block");
                t = chainStep(next.getFirst(), layers);
            } else if (next.size() == 2) {
                t = residual(t, next, layers);
            } else {
                throw new NotAChain("tensor " + t + " feeds " + next.size() + " nodes; only chains and residual blocks (two branches and an Add) are supported");
            }
        }
        return t;
    }

    /**
     * {@link #step} on the chain path: a Concat, or a node reached a second time, is a structure
     * the chain cannot hold (the graph importer takes the file then); any other problem of the
     * node is the file's, and is reported as it is.
     */
    private String chainStep(Onnx.NodeProto n, List<Layer> layers) throws OnnxFormatException, NotAChain {
        if (n.getOpType().equals("Concat") && n.getInputCount() > 1 || isProduct(n)) throw new NotAChain(describe(n) + " joins branches");
        if (used.contains(n)) throw new NotAChain("node " + describe(n) + " is reached twice");
        return step(n, layers);
    }

    /**
     * The chain importer met a structure it does not take (branches that are not a residual
     * block, a Concat): not an error of the file, so the graph importer is tried instead. Every
     * other problem is an {@link OnnxFormatException} at once, found and reported one time.
     */
    private static final class NotAChain extends Exception {
        private static final long serialVersionUID = 1L;

        NotAChain(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * The whole ONNX graph as a {@link Graph}: one node per operator in the file's (topological)
     * order, named "n&lt;index&gt;_&lt;op&gt;"; an Add or a Mul of two computed tensors and a Concat on channels
     * become merges; operators that do nothing at inference are skipped, their output read as
     * their input.
     */
    private Graph graph(Onnx.GraphProto g, String input) throws OnnxFormatException {
        Map<String, String> nodeOf = new HashMap<>(); // ONNX tensor → graph node that computes it
        nodeOf.put(input, Graph.INPUT);
        List<Graph.Node> nodes = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            Onnx.NodeProto n = g.getNode(i);
            if (used.contains(n)) continue; // a Constant, or the bias Add of a MatMul before it
            String name = "n" + i + "_" + n.getOpType().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
            List<String> in = new ArrayList<>();
            for (String t : n.getInputList()) if (!isConstant(t) && !t.isEmpty()) in.add(t);
            for (String t : in) {
                if (!nodeOf.containsKey(t)) throw error("node " + describe(n) + " reads " + t + ", which no node before it computes");
            }
            if (isJoin(n) || isProduct(n) || n.getOpType().equals("Concat") && n.getInputCount() > 1) {
                if (n.getOpType().equals("Concat")) {
                    Onnx.AttributeProto axis = n.getAttributeList().stream().filter(a -> a.getName().equals("axis")).findFirst().orElse(null);
                    if (axis == null || axis.getI() != 1) throw error(describe(n) + ": only a Concat on axis 1 (channels or features) is supported");
                    if (in.size() != n.getInputCount()) throw error(describe(n) + ": concatenating a constant is not supported");
                }
                used.add(n);
                List<String> from = new ArrayList<>();
                for (String t : in) from.add(nodeOf.get(t));
                nodes.add(new Graph.Node(name, null, isJoin(n) ? new Add() : isProduct(n) ? new Multiply() : new Concat(), from));
                nodeOf.put(n.getOutput(0), name);
                continue;
            }
            if (in.size() != 1) throw error("node " + describe(n) + " reads " + in.size() + " computed tensors; one is supported");
            List<Layer> one = new ArrayList<>();
            String out = step(n, one);
            if (one.isEmpty()) {
                nodeOf.put(out, nodeOf.get(in.getFirst())); // nothing at inference: the output is the input
            } else { // one layer per node; a second (ReduceMean without keepdims: pool, flatten) follows the first
                String from = nodeOf.get(in.getFirst());
                for (int j = 0; j < one.size(); j++) {
                    String node = j == 0 ? name : name + "_" + j;
                    nodes.add(Graph.Node.of(node, one.get(j), from));
                    from = node;
                }
                nodeOf.put(out, from);
            }
        }
        String last = nodeOf.get(output);
        if (last == null || nodes.isEmpty() || !nodes.getLast().name().equals(last)) {
            throw error("the graph output " + output + " is not computed by the last operator node");
        }
        try {
            return new Graph(nodes);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /**
     * Maps node n (with the bias Add after a MatMul) to a layer if it has one; returns the tensor
     * after it. A layer refusing the node's values (a non-finite attribute, min above max, an empty
     * constant) is the file's error, reported with the node's name.
     */
    private String step(Onnx.NodeProto n, List<Layer> layers) throws OnnxFormatException {
        if (!used.add(n)) throw error("node " + describe(n) + " is reached twice (a cycle?)");
        try {
            return stepLayers(n, layers);
        } catch (IllegalArgumentException refused) {
            throw new OnnxFormatException(file, describe(n) + ": " + refused.getMessage(), refused);
        }
    }

    private String stepLayers(Onnx.NodeProto n, List<Layer> layers) throws OnnxFormatException {
        if (n.getOpType().equals("MatMul")) {
            List<Onnx.NodeProto> after = consumers.getOrDefault(n.getOutput(0), List.of());
            float[] bias = null;
            String out = n.getOutput(0);
            if (after.size() == 1 && after.getFirst().getOpType().equals("Add") && !isJoin(after.getFirst())) {
                Onnx.NodeProto add = after.getFirst();
                String b = add.getInput(0).equals(out) ? add.getInput(1) : add.getInput(0);
                bias = floats.get(b);
                if (bias == null) throw error(describe(add) + ": the bias " + b + " after MatMul " + describe(n) + " is " + notFloat(b));
                used.add(add);
                out = add.getOutput(0);
            }
            layers.add(dense(n, weight(n, 1), dims.get(n.getInput(1)), false, 1f, bias, 1f));
            return out;
        }
        if (n.getOpType().equals("ReduceMean")) {
            layers.addAll(reduceMean(n));
            return n.getOutput(0);
        }
        Layer l = layer(n);
        if (l != null) layers.add(l);
        return n.getOutput(0);
    }

    /** Two branches leave t and meet in an Add: y = main(t) + shortcut(t), the shortcut possibly t itself. */
    private String residual(String t, List<Onnx.NodeProto> next, List<Layer> layers) throws OnnxFormatException, NotAChain {
        // blocks nested deeper than a model file's spec may hold import as a flat graph instead: no
        // recursion as deep as the file's nesting, and `convert` never writes what `predict` refuses
        if (nesting >= LayerSpec.MAX_NESTING) throw new NotAChain("residual blocks nest deeper than " + LayerSpec.MAX_NESTING + " levels");
        nesting++;
        try {
            return residualBlock(t, next, layers);
        } finally {
            nesting--;
        }
    }

    private String residualBlock(String t, List<Onnx.NodeProto> next, List<Layer> layers) throws OnnxFormatException, NotAChain {
        Onnx.NodeProto join = findJoin(t, next);
        Set<String> ends = new HashSet<>(join.getInputList());
        List<List<Layer>> branches = new ArrayList<>();
        for (Onnx.NodeProto first : next) {
            List<Layer> branch = new ArrayList<>();
            if (first != join) {
                String end = walk(chainStep(first, branch), branch, ends);
                if (!ends.contains(end)) throw new NotAChain("a branch from " + t + " ends at " + end + ", not at " + describe(join));
            }
            branches.add(branch);
        }
        boolean firstIsMain = branches.get(0).size() >= branches.get(1).size();
        used.add(join);
        layers.add(new Residual(branches.get(firstIsMain ? 0 : 1), branches.get(firstIsMain ? 1 : 0)));
        return join.getOutput(0);
    }

    /** The first Add (in the graph's topological node order) reachable from both branches leaving t. */
    private Onnx.NodeProto findJoin(String t, List<Onnx.NodeProto> next) throws NotAChain {
        Set<Onnx.NodeProto> a = new HashSet<>(), b = new HashSet<>();
        reachable(next.get(0), a);
        reachable(next.get(1), b);
        Onnx.NodeProto best = null;
        for (Onnx.NodeProto n : a) {
            if (b.contains(n) && n.getOpType().equals("Add") && isJoin(n) && (best == null || order.get(n) < order.get(best))) best = n;
        }
        if (best == null) throw new NotAChain("the two branches from " + t + " never meet in an Add");
        return best;
    }

    private void reachable(Onnx.NodeProto start, Set<Onnx.NodeProto> seen) {
        List<Onnx.NodeProto> todo = new ArrayList<>(List.of(start));
        while (!todo.isEmpty()) {
            Onnx.NodeProto n = todo.removeLast();
            if (!seen.add(n)) continue;
            for (String out : n.getOutputList()) todo.addAll(consumers.getOrDefault(out, List.of()));
        }
    }

    /** An Add of two computed tensors (a residual join), not of a tensor and a constant bias. */
    private boolean isJoin(Onnx.NodeProto n) {
        return n.getOpType().equals("Add") && n.getInputCount() == 2 && !isConstant(n.getInput(0)) && !isConstant(n.getInput(1));
    }

    /** A Mul of two computed tensors (SiLU's x·sigmoid(x), a squeeze-and-excitation scale), not of a tensor and a constant. */
    private boolean isProduct(Onnx.NodeProto n) {
        return n.getOpType().equals("Mul") && n.getInputCount() == 2 && !isConstant(n.getInput(0)) && !isConstant(n.getInput(1));
    }

    private boolean isConstant(String tensor) {
        return floats.containsKey(tensor) || ints.containsKey(tensor);
    }

    /** The layer for a node, or null for nodes that do nothing at inference. */
    private Layer layer(Onnx.NodeProto n) throws OnnxFormatException {
        Map<String, Onnx.AttributeProto> a = new HashMap<>();
        for (Onnx.AttributeProto at : n.getAttributeList()) a.put(at.getName(), at);
        switch (n.getOpType()) {
            case "Relu":
                return new ReLU();
            case "LeakyRelu":
                return new LeakyReLU(a.containsKey("alpha") ? a.get("alpha").getF() : 0.01f);
            case "Clip": {
                float min = clipBound(n, a, 1, "min", Float.NEGATIVE_INFINITY), max = clipBound(n, a, 2, "max", Float.POSITIVE_INFINITY);
                if (min == 0f && max == Float.POSITIVE_INFINITY) return new ReLU(); // a Clip with only min 0 is a ReLU
                if (Float.isInfinite(min) || Float.isInfinite(max)) {
                    throw error(describe(n) + ": Clip needs a finite min and max (or min 0 alone, a ReLU), got min " + min + ", max " + max);
                }
                return PointwiseActivation.clip(min, max);
            }
            case "Sigmoid":
                return PointwiseActivation.sigmoid();
            case "HardSigmoid":
                return PointwiseActivation.hardSigmoid(a.containsKey("alpha") ? a.get("alpha").getF() : 0.2f, a.containsKey("beta") ? a.get("beta").getF() : 0.5f);
            case "HardSwish":
                return PointwiseActivation.hardSwish();
            case "Tanh":
                return SmoothActivation.tanh();
            case "Gelu": {
                String approximate = a.containsKey("approximate") ? a.get("approximate").getS().toStringUtf8() : "none";
                if (approximate.equals("none")) return SmoothActivation.gelu();
                if (approximate.equals("tanh")) return SmoothActivation.geluTanh();
                throw error(describe(n) + ": attribute approximate '" + approximate + "' is not supported (none or tanh)");
            }
            case "Add", "Sub", "Mul", "Div":
                return constantArithmetic(n);
            case "LayerNormalization", "InstanceNormalization", "GroupNormalization", NormPattern.LAYER_NORM_2D, NormPattern.GROUP_NORM:
                return sampleNorm(n, a);
            case "Dropout", "Identity":
                return null;
            case "Concat":  // of one tensor (DenseNet's first layer: torch.cat of a list of one): the identity
                if (n.getInputCount() != 1) throw error(describe(n) + ": a Concat of " + n.getInputCount() + " tensors here is not supported");
                return null;
            case AdaptivePoolPattern.OP: {
                if (!n.getDomain().equals(AdaptivePoolPattern.DOMAIN)) break;
                long[] out = a.get("output_size").getIntsList().stream().mapToLong(Long::longValue).toArray();
                long[] in = a.get("input_size").getIntsList().stream().mapToLong(Long::longValue).toArray();
                if (out[0] > AdaptiveAvgPool2d.MAX_OUT || out[1] > AdaptiveAvgPool2d.MAX_OUT) {
                    throw error(describe(n) + ": output size " + out[0] + "×" + out[1] + " is more than " + AdaptiveAvgPool2d.MAX_OUT);
                }
                AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d((int) out[0], (int) out[1]);
                adaptiveInputs.put(pool, new int[] {(int) in[0], (int) in[1]});
                return pool;
            }
            case "Pad": {  // PyTorch puts an all-zero Pad before some pools: nothing to do
                long[] pads = n.getInputCount() > 1 ? ints.get(n.getInput(1)) : a.containsKey("pads")
                        ? a.get("pads").getIntsList().stream().mapToLong(Long::longValue).toArray() : null;
                if (pads == null || java.util.Arrays.stream(pads).anyMatch(v -> v != 0)) throw error(describe(n) + ": only an all-zero Pad is supported");
                return null;
            }
            case "Softmax":
                if (!n.getOutput(0).equals(output)) throw error(describe(n) + ": Softmax is supported only as the last node");
                return null;
            case "Flatten":
                if (a.containsKey("axis") && a.get("axis").getI() != 1) throw error(describe(n) + ": Flatten axis " + a.get("axis").getI() + "; only 1");
                return new Flatten();
            case "Reshape": {
                long[] shape = n.getInputCount() > 1 ? ints.get(n.getInput(1)) : null;
                if (shape == null || shape.length != 2 || !(shape[0] == 0 || shape[0] == -1 || shape[0] == 1) && shape[1] != -1) {
                    throw error(describe(n) + ": only a reshape to [batch, features] is supported");
                }
                return new Flatten();
            }
            case "GlobalAveragePool":
                return new GlobalAvgPool2d();
            case "MaxPool", "AveragePool": {
                int k = square(n, a, "kernel_shape");
                int s = a.containsKey("strides") ? equal(n, a.get("strides").getIntsList(), "strides") : 1;
                int pad = a.containsKey("pads") ? equal(n, a.get("pads").getIntsList(), "pads") : 0;
                if (2 * pad > k) throw error(describe(n) + ": pads " + pad + " is more than half the kernel " + k);
                boolean ceil = flag(n, a, "ceil_mode", false), max = n.getOpType().equals("MaxPool");
                boolean countPad = !max && flag(n, a, "count_include_pad", false);
                if (a.containsKey("dilations") && a.get("dilations").getIntsList().stream().anyMatch(d -> d != 1)) throw error(describe(n) + ": attribute dilations " + a.get("dilations").getIntsList() + " is not supported (dilated pooling)");
                if (a.containsKey("auto_pad") && !a.get("auto_pad").getS().toStringUtf8().equals("NOTSET")) throw error(describe(n) + ": attribute auto_pad '" + a.get("auto_pad").getS().toStringUtf8() + "' is not supported; export with explicit pads");
                if (max && a.containsKey("storage_order") && a.get("storage_order").getI() != 0) throw error(describe(n) + ": attribute storage_order " + a.get("storage_order").getI() + " is not supported (0 only)");
                if (max) return ceil ? WindowPool2d.max(k, s, pad, true) : new MaxPool2d(k, s, pad);
                return pad == 0 && !ceil ? new AvgPool2d(k, s) : WindowPool2d.average(k, s, pad, ceil, countPad);
            }
            case "Conv":
                return conv(n, a);
            case "ConvTranspose":
                return convTranspose(n, a);
            case "Resize", "Upsample":
                return resize(n, a);
            case "BatchNormalization": {
                float eps = a.containsKey("epsilon") ? a.get("epsilon").getF() : 1e-5f;
                float[] var = weight(n, 4).clone();
                // ours uses PyTorch's eps: 1/sqrt(var + eps) = 1/sqrt((var + eps − EPS) + EPS)
                for (int i = 0; i < var.length; i++) var[i] += eps - BatchNorm2d.EPS;
                BatchNorm2d bn = new BatchNorm2d(var.length);
                weights.put(bn, Map.of("weight", weight(n, 1), "bias", weight(n, 2), "running_mean", weight(n, 3), "running_var", var));
                origins.put(bn, n);
                return bn;
            }
            case "Gemm": {
                if (a.containsKey("transA") && a.get("transA").getI() != 0) throw error(describe(n) + ": transA is not supported");
                float alpha = a.containsKey("alpha") ? a.get("alpha").getF() : 1f, beta = a.containsKey("beta") ? a.get("beta").getF() : 1f;
                boolean transB = a.containsKey("transB") && a.get("transB").getI() != 0;
                return dense(n, weight(n, 1), dims.get(n.getInput(1)), transB, alpha, n.getInputCount() > 2 ? weight(n, 2) : null, beta);
            }
            default:
                break;
        }
        throw error("node " + describe(n) + " is not supported (supported: Conv, BatchNormalization, Relu, LeakyRelu, Clip, Sigmoid, HardSigmoid, HardSwish, "
                + "Tanh, Gelu (and the legacy exporter's Div → Erf → Add → Mul → Mul), MaxPool, AveragePool, GlobalAveragePool, ReduceMean (spatial), "
                + "Flatten, Reshape, Gemm, MatMul, Add, Mul, Concat, Add / Sub / Mul / Div by a constant, Dropout, Identity, a final Softmax, "
                + "ConvTranspose, Resize / Upsample (nearest, bilinear) by whole scale factors, "
                + "the dynamo exporter's adaptive average pool Transpose → GatherND → Transpose → ReduceMean, "
                + "LayerNormalization, InstanceNormalization, GroupNormalization and the exporters' LayerNorm2d and GroupNorm forms)");
    }

    /**
     * The norms with per-sample statistics: LayerNormalization over [C, H, W] (axis 1 or −3: nn.LayerNorm([C, H, W])),
     * InstanceNormalization of an NCHW tensor (nn.InstanceNorm2d: a group norm of one channel per group),
     * GroupNormalization (opset 18+), and {@link NormPattern}'s LayerNorm2d and GroupNorm. A missing scale is 1, a missing bias 0.
     */
    private Layer sampleNorm(Onnx.NodeProto n, Map<String, Onnx.AttributeProto> a) throws OnnxFormatException {
        String op = n.getOpType();
        boolean ours = n.getDomain().equals(AdaptivePoolPattern.DOMAIN);
        if ((op.equals(NormPattern.LAYER_NORM_2D) || op.equals(NormPattern.GROUP_NORM)) != ours) {
            throw error("node " + describe(n) + " is not supported");
        }
        float eps = a.containsKey("epsilon") ? a.get("epsilon").getF() : 1e-5f;
        if (!(eps > 0) || !Float.isFinite(eps)) throw error(describe(n) + ": attribute epsilon " + eps + " must be a positive number");
        if (a.containsKey("stash_type") && a.get("stash_type").getI() != 1) {
            throw error(describe(n) + ": attribute stash_type " + a.get("stash_type").getI() + " is not supported (1: statistics in float or wider)");
        }
        for (int i = 1; i < n.getOutputCount(); i++) {
            if (!n.getOutput(i).isEmpty() && !consumers.getOrDefault(n.getOutput(i), List.of()).isEmpty()) {
                throw error(describe(n) + ": its output " + i + " (" + n.getOutput(i) + ", saved statistics) is read by another node; only the normalised output is supported");
            }
        }
        float[] scale = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? weight(n, 1) : null;
        float[] bias = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? weight(n, 2) : null;
        Layer layer;
        switch (op) {
            case "LayerNormalization" -> {
                long axis = a.containsKey("axis") ? a.get("axis").getI() : -1;
                if (axis != 1 && axis != -3) {
                    throw error(describe(n) + ": attribute axis " + axis + " is not supported; on an NCHW tensor only axis 1 (or -3, nn.LayerNorm([C, H, W])), "
                            + "or axis -1 between Transpose(perm [0, 2, 3, 1]) and Transpose(perm [0, 3, 1, 2]) (ConvNeXt's LayerNorm2d)");
                }
                if (scale == null || dims.get(n.getInput(1)).length != 3) throw error(describe(n) + ": its scale must be a constant [C, H, W]");
                layer = org.panamacnn.nn.GroupNorm.layerNorm(eps);
            }
            case NormPattern.LAYER_NORM_2D -> layer = new org.panamacnn.nn.LayerNorm2d(eps);
            case NormPattern.GROUP_NORM -> {
                layer = org.panamacnn.nn.GroupNorm.groupNorm((int) a.get("groups").getI(), eps);
                perGroupWeights.put((org.panamacnn.nn.GroupNorm) layer, 0); // a [1, 1, 1] Mul / Add is widened to the channels
            }
            case "InstanceNormalization" -> {
                if (scale == null || bias == null) throw error(describe(n) + ": its scale and bias must be constants");
                layer = org.panamacnn.nn.GroupNorm.groupNorm(scale.length, eps);
            }
            default -> { // GroupNormalization
                long groups = a.containsKey("num_groups") ? a.get("num_groups").getI() : 0;
                if (groups < 1 || groups > Integer.MAX_VALUE) throw error(describe(n) + ": attribute num_groups " + groups + " must be at least 1");
                if (scale == null || bias == null) throw error(describe(n) + ": its scale and bias must be constants");
                layer = org.panamacnn.nn.GroupNorm.groupNorm((int) groups, eps);
                // opset 18–20 give scale and bias per group (the operator's first form), 21+ per channel
                perGroupWeights.put((org.panamacnn.nn.GroupNorm) layer, opset < 21 ? (int) groups : 0);
            }
        }
        Map<String, float[]> m = new HashMap<>();
        if (scale != null) m.put("weight", scale);
        if (bias != null) m.put("bias", bias);
        weights.put(layer, m);
        origins.put(layer, n);
        return layer;
    }

    /**
     * Widens a group norm's scale and bias to its channels, now that the built layer knows them: one
     * value (the legacy exporter's Mul by [1, 1, 1] of nn.GroupNorm(affine=False)) to every channel,
     * and, when the file gives them per group (GroupNormalization before opset 21; `groups` > 0), a group's value to its channels.
     */
    private void widenToChannels(org.panamacnn.nn.GroupNorm norm, int groups) throws OnnxFormatException {
        Map<String, float[]> m = new HashMap<>(weights.get(norm));
        int c = norm.weight().size();
        for (String key : List.of("weight", "bias")) {
            float[] v = m.get(key);
            if (v == null || v.length == c && groups == 0) continue;
            int per = v.length == 1 ? c : groups > 0 && v.length == groups ? c / groups : 0;
            if (per == 0) {
                throw error(describe(origins.get(norm)) + ": " + key + " has " + v.length + " values for " + c + " channels"
                        + (groups > 0 ? " in " + groups + " groups (opset " + opset + " gives one per group)" : ""));
            }
            float[] wide = new float[c];
            for (int ch = 0; ch < c; ch++) wide[ch] = v[ch / per];
            m.put(key, wide);
        }
        weights.put(norm, m);
    }

    /**
     * A Conv: {@link Conv2d} (or {@link GroupedConv2d} for groups) when its kernel is square, its strides
     * equal, its pads the same on every side and it is not dilated; else a {@link GeneralConv2d} with
     * kernel_shape, strides, dilations and pads ([top, left, bottom, right]) as they are, or auto_pad
     * SAME_UPPER / SAME_LOWER (worked out from the input size when built) or VALID. The bias is the
     * third input, or zeros.
     */
    private Layer conv(Onnx.NodeProto n, Map<String, Onnx.AttributeProto> a) throws OnnxFormatException {
        float[] w = weight(n, 1);
        long[] wd = dims.get(n.getInput(1));
        if (wd.length != 4 || wd[0] < 1 || wd[1] < 1 || wd[2] < 1 || wd[3] < 1 || wd[2] > ConvGeometry.MAX || wd[3] > ConvGeometry.MAX) {
            throw error(describe(n) + ": weight " + java.util.Arrays.toString(wd) + " is not [out, in, kh, kw]");
        }
        long group = a.containsKey("group") ? a.get("group").getI() : 1;
        if (group < 1 || group > wd[0] || wd[0] % group != 0) throw error(describe(n) + ": group " + group + " does not divide the " + wd[0] + " output channels");
        int kh = (int) wd[2], kw = (int) wd[3];
        if (a.containsKey("kernel_shape") && !a.get("kernel_shape").getIntsList().equals(List.of((long) kh, (long) kw))) {
            throw error(describe(n) + ": attribute kernel_shape " + a.get("kernel_shape").getIntsList() + " does not match the weight " + java.util.Arrays.toString(wd));
        }
        int[] s = convInts(n, a, "strides", 2, 1), d = convInts(n, a, "dilations", 2, 1), p = convInts(n, a, "pads", 4, 0);
        String auto = a.containsKey("auto_pad") ? a.get("auto_pad").getS().toStringUtf8() : "NOTSET";
        ConvPadding padding = switch (auto) {
            case "NOTSET" -> ConvPadding.of(p[0], p[1], p[2], p[3]);
            case "VALID" -> ConvPadding.uniform(0);
            case "SAME_UPPER", "SAME_LOWER" -> ConvPadding.same(auto.equals("SAME_UPPER"));
            default -> throw error(describe(n) + ": attribute auto_pad '" + auto + "' is not supported (NOTSET, SAME_UPPER, SAME_LOWER or VALID)");
        };
        if (!auto.equals("NOTSET") && a.containsKey("pads") && java.util.Arrays.stream(p).anyMatch(v -> v != 0)) {
            throw error(describe(n) + ": attributes auto_pad " + auto + " and pads " + a.get("pads").getIntsList() + " together");
        }
        boolean square = kh == kw && s[0] == s[1] && d[0] == 1 && d[1] == 1;
        if (square && padding.mode() == ConvPadding.Mode.SAME_UPPER && s[0] == 1 && kh % 2 == 1) padding = ConvPadding.uniform((kh - 1) / 2);
        int out = (int) wd[0], in = (int) (wd[1] * group);
        Layer conv;
        if (square && padding.isUniform()) {
            conv = group == 1 ? new Conv2d(in, out, kh, s[0], padding.top()) : new GroupedConv2d(in, out, kh, s[0], padding.top(), (int) group, true);
        } else if (group == 1) {
            conv = new GeneralConv2d(in, out, kh, kw, s[0], s[1], d[0], d[1], padding, true);
        } else {
            throw error(describe(n) + ": attribute group " + group + " with kernel " + kh + "×" + kw + ", strides " + s[0] + "," + s[1] + ", dilations "
                    + d[0] + "," + d[1] + ", pads " + padding.spec() + " is not supported (a grouped convolution needs a square kernel, "
                    + "equal strides, no dilation and the same padding on every side)");
        }
        Map<String, float[]> m = new HashMap<>();
        m.put("weight", w);
        m.put("bias", n.getInputCount() > 2 ? weight(n, 2) : new float[out]);
        weights.put(conv, m);
        origins.put(conv, n);
        return conv;
    }

    /** A Conv's ints attribute of `count` values (2 for strides and dilations, 4 for pads), `absent` each when missing; min..4096. */
    private int[] convInts(Onnx.NodeProto n, Map<String, Onnx.AttributeProto> a, String name, int count, int absent) throws OnnxFormatException {
        int[] v = new int[count];
        java.util.Arrays.fill(v, absent);
        if (!a.containsKey(name)) return v;
        List<Long> given = a.get(name).getIntsList();
        int min = name.equals("pads") ? 0 : 1;
        if (given.size() != count || given.stream().anyMatch(x -> x < min || x > ConvGeometry.MAX)) {
            throw error(describe(n) + ": attribute " + name + " " + given + " must be " + count + " values in " + min + ".." + ConvGeometry.MAX
                    + " (a 2-D convolution)");
        }
        for (int i = 0; i < count; i++) v[i] = (int) (long) given.get(i);
        return v;
    }

    /** An attribute that must be 0 or 1 (ONNX's ceil_mode, count_include_pad). */
    private boolean flag(Onnx.NodeProto n, Map<String, Onnx.AttributeProto> a, String name, boolean absent) throws OnnxFormatException {
        if (!a.containsKey(name)) return absent;
        long v = a.get(name).getI();
        if (v != 0 && v != 1) throw error(describe(n) + ": attribute " + name + " " + v + " is not supported (0 or 1)");
        return v == 1;
    }

    /**
     * Add, Sub, Mul or Div of a computed tensor and a constant (an initializer or a Constant node):
     * a scalar or one value per channel ([C, 1, 1] or [1, C, 1, 1]). x + c, x − c, c − x and x·c are
     * an affine map (exact: one rounding); x / c a division; c / x is not supported.
     */
    private Layer constantArithmetic(Onnx.NodeProto n) throws OnnxFormatException {
        String op = n.getOpType();
        if (n.getInputCount() != 2) throw error(describe(n) + ": " + op + " needs two inputs, got " + n.getInputCount());
        boolean constFirst = isConstant(n.getInput(0)), constSecond = isConstant(n.getInput(1));
        if (constFirst == constSecond) throw error(describe(n) + ": " + op + " of " + (constFirst ? "two constants" : "two computed tensors") + " is not supported here");
        String name = n.getInput(constFirst ? 0 : 1);
        float[] c = floats.get(name);
        if (c == null) throw error(describe(n) + ": the constant " + name + " is " + notFloat(name));
        long[] d = dims.get(name);
        boolean scalar = c.length == 1;
        boolean perChannel = d.length >= 3 && d.length <= 4 && d[d.length - 1] == 1 && d[d.length - 2] == 1 && (d.length == 3 || d[0] == 1);
        if (!scalar && !perChannel) {
            throw error(describe(n) + ": the constant " + name + " has shape " + java.util.Arrays.toString(d)
                    + "; only a scalar or one value per channel ([C, 1, 1] or [1, C, 1, 1]) is supported");
        }
        float[] one = {1f}, zero = {0f};
        return switch (op) {
            case "Add" -> new ChannelAffine(one, c);
            case "Sub" -> constFirst ? new ChannelAffine(new float[] {-1f}, c) : new ChannelAffine(one, negated(c));
            case "Mul" -> new ChannelAffine(c, zero);
            default -> {
                if (constFirst) throw error(describe(n) + ": dividing the constant " + name + " by a tensor is not supported");
                for (float v : c) if (v == 0f) throw error(describe(n) + ": division by the constant " + name + ", which holds 0");
                yield new ChannelDivide(c);
            }
        };
    }

    private static float[] negated(float[] c) {
        float[] m = new float[c.length];
        for (int i = 0; i < c.length; i++) m[i] = -c[i];
        return m;
    }

    /**
     * ReduceMean over the spatial axes of an NCHW tensor (the dynamo exporter's AdaptiveAvgPool2d(1)):
     * a global average pool, then a flatten when keepdims is 0. The axes come from the attribute
     * (opset &lt; 18) or the second input (opset 18+), as 2, 3 or −2, −1 in any order.
     */
    private List<Layer> reduceMean(Onnx.NodeProto n) throws OnnxFormatException {
        Map<String, Onnx.AttributeProto> a = new HashMap<>();
        for (Onnx.AttributeProto at : n.getAttributeList()) a.put(at.getName(), at);
        long[] axes = null;
        if (n.getInputCount() > 1 && !n.getInput(1).isEmpty()) {
            axes = ints.get(n.getInput(1));
            if (axes == null) throw error(describe(n) + ": axes (input " + n.getInput(1) + ") must be a constant int64 tensor");
        } else if (a.containsKey("axes")) {
            axes = a.get("axes").getIntsList().stream().mapToLong(Long::longValue).toArray();
        }
        Set<Long> spatial = new HashSet<>();
        if (axes != null) for (long ax : axes) spatial.add(ax < 0 ? ax + 4 : ax);
        if (axes == null || axes.length != 2 || !spatial.equals(Set.of(2L, 3L))) {
            throw error(describe(n) + ": only a mean over the spatial axes [2, 3] (or [-2, -1]) of an NCHW tensor is supported, got axes "
                    + (axes == null ? "none (all axes)" : java.util.Arrays.toString(axes)));
        }
        boolean keep = !a.containsKey("keepdims") || a.get("keepdims").getI() != 0;
        return keep ? List.of(new GlobalAvgPool2d()) : List.of(new GlobalAvgPool2d(), new Flatten());
    }

    /**
     * A Clip bound: input `input` (opset 11+; a scalar constant, or absent / "" for none) or the
     * attribute `name` (opset 6); `none` when not given. ReLU6 is min 0, max 6.
     */
    private float clipBound(Onnx.NodeProto n, Map<String, Onnx.AttributeProto> a, int input, String name, float none) throws OnnxFormatException {
        float v = none;
        if (n.getInputCount() > input && !n.getInput(input).isEmpty()) {
            float[] c = floats.get(n.getInput(input));
            if (c == null || c.length != 1) throw error(describe(n) + ": " + name + " (input " + input + ", " + n.getInput(input) + ") must be a constant float scalar");
            v = c[0];
        } else if (a.containsKey(name)) {
            v = a.get(name).getF();
        }
        if (Float.isNaN(v)) throw error(describe(n) + ": Clip " + name + " is NaN");
        return v;
    }

    private Dense dense(Onnx.NodeProto n, float[] b, long[] bd, boolean transB, float alpha, float[] c, float beta) throws OnnxFormatException {
        if (bd.length != 2) throw error(describe(n) + ": weight " + java.util.Arrays.toString(bd) + " is not a matrix");
        int out = (int) (transB ? bd[0] : bd[1]), in = (int) (transB ? bd[1] : bd[0]);
        float[] w = transB && alpha == 1f ? b : new float[out * in];  // ours is [out, in]: PyTorch's Linear, read as it is (fill copies it)
        if (w != b) for (int o = 0; o < out; o++) for (int i = 0; i < in; i++) w[o * in + i] = alpha * (transB ? b[o * in + i] : b[i * out + o]);
        float[] bias = new float[out];
        if (c != null) {
            if (c.length != out && c.length != 1) throw error(describe(n) + ": bias of " + c.length + " values for " + out + " outputs");
            for (int o = 0; o < out; o++) bias[o] = beta * c[c.length == 1 ? 0 : o];
        }
        Dense d = new Dense(in, out);
        weights.put(d, Map.of("weight", w, "bias", bias));
        origins.put(d, n);
        return d;
    }

    private void fill(Layer layer, Map<String, float[]> values) throws OnnxFormatException {
        Map<String, Param> all = new LinkedHashMap<>(layer.namedParams());
        all.putAll(layer.namedBuffers());
        for (Map.Entry<String, Param> e : all.entrySet()) {
            float[] v = values.get(e.getKey());
            Param p = e.getValue();
            if (v == null && isSampleNorm(layer)) continue; // an export without affine weights: the layer's own 1 and 0
            if (v == null || v.length != p.size()) {
                throw error(describe(origins.get(layer)) + " as " + layer.describe() + ": " + e.getKey() + " needs " + p.size()
                        + " values, the file has " + (v == null ? "none" : v.length));
            }
            System.arraycopy(v, 0, p.value().data(), 0, v.length);
        }
    }

    private static boolean isSampleNorm(Layer layer) {
        return layer instanceof org.panamacnn.nn.GroupNorm || layer instanceof org.panamacnn.nn.LayerNorm2d;
    }

    private float[] weight(Onnx.NodeProto n, int input) throws OnnxFormatException {
        if (n.getInputCount() <= input) throw error(describe(n) + " lacks input " + input);
        float[] v = floats.get(n.getInput(input));
        if (v == null) throw error(describe(n) + ": input " + n.getInput(input) + " is " + notFloat(n.getInput(input)));
        return v;
    }

    /** What a tensor that should be a float initializer is instead. */
    private String notFloat(String tensor) {
        return ints.containsKey(tensor) ? "an initializer of type " + OnnxTensors.typeName(OnnxTensors.INT64) + "; a float tensor is needed"
                : "not a float initializer (computed weights are not supported)";
    }

    private int square(Onnx.NodeProto n, Map<String, Onnx.AttributeProto> a, String key) throws OnnxFormatException {
        if (!a.containsKey(key)) throw error(describe(n) + " lacks " + key);
        return equal(n, a.get(key).getIntsList(), key);
    }

    /** One value for every direction, in 1..4096 (pads: 0..4096). */
    private int equal(Onnx.NodeProto n, List<Long> v, String what) throws OnnxFormatException {
        long min = what.equals("pads") || what.equals("output_padding") ? 0 : 1;
        if (v.isEmpty() || v.stream().distinct().count() != 1 || v.getFirst() < min || v.getFirst() > 4096) {
            throw error(describe(n) + ": " + what + " " + v + " must be equal in every direction and " + min + "..4096");
        }
        return (int) (long) v.getFirst();
    }

    private Shape inputShape(Onnx.ValueInfoProto v) throws OnnxFormatException {
        if (!v.getType().hasTensorType()) throw error("input " + v.getName() + " is not a tensor");
        List<Onnx.TensorShapeProto.Dimension> d = v.getType().getTensorType().getShape().getDimList();
        if (d.size() < 2) throw error("input " + v.getName() + " has " + d.size() + " dimensions; expected [batch, ...]");
        int[] s = new int[d.size() - 1];
        for (int i = 1; i < d.size(); i++) {
            if (!d.get(i).hasDimValue() || d.get(i).getDimValue() < 1 || d.get(i).getDimValue() > 1 << 20) {
                throw error("input " + v.getName() + " dimension " + i + " is not a fixed size (" + d.get(i) + ")");
            }
            s[i - 1] = (int) d.get(i).getDimValue();
        }
        return Shape.of(s);
    }

    /** Stores a float or int64 initializer; returns the float count. */
    private long readInitializer(Onnx.TensorProto t) throws OnnxFormatException {
        if (t.getDataLocation() == 1) throw error("initializer " + t.getName() + " is in an external file; only embedded weights are supported");
        long count = 1;
        for (long d : t.getDimsList()) {
            if (d < 0 || d > Integer.MAX_VALUE) throw error("initializer " + t.getName() + " has dimension " + d);
            count *= d;
            if (count > Integer.MAX_VALUE) throw error("initializer " + t.getName() + " is too large");
        }
        long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        switch (t.getDataType()) {
            case OnnxTensors.FLOAT, OnnxTensors.FLOAT16, OnnxTensors.BFLOAT16, OnnxTensors.DOUBLE -> {
                floats.put(t.getName(), OnnxTensors.floats(t, (int) count, file));
                dims.put(t.getName(), shape);
                return count;
            }
            case 7 -> {  // INT64 (shapes for Reshape); allocated once the data is known to hold count values
                long[] v;
                if (t.hasRawData()) {
                    if (t.getRawData().size() != 8 * count) throw error("initializer " + t.getName() + " holds " + t.getRawData().size() + " bytes, its dims need " + 8 * count);
                    v = new long[(int) count];
                    ByteBuffer bb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int i = 0; i < v.length; i++) v[i] = bb.getLong();
                } else {
                    if (t.getInt64DataCount() != count) throw error("initializer " + t.getName() + " holds " + t.getInt64DataCount() + " values, its dims need " + count);
                    v = new long[(int) count];
                    for (int i = 0; i < v.length; i++) v[i] = t.getInt64Data(i);
                }
                ints.put(t.getName(), v);
                dims.put(t.getName(), shape);
                return 0;
            }
            default -> throw error("initializer " + t.getName() + " has data type " + OnnxTensors.typeName(t.getDataType())
                    + "; supported are FLOAT, FLOAT16, BFLOAT16 and DOUBLE weights and INT64 shapes");
        }
    }

    private static String describe(Onnx.NodeProto n) {
        return "'" + (n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "' (" + n.getOpType() + ")";
    }

    private OnnxFormatException error(String problem) {
        return new OnnxFormatException(file, problem);
    }

    // ---- upsampling: ConvTranspose, Resize, Upsample ----

    /**
     * ConvTranspose as PyTorch's ConvTranspose2d writes it: weight [cin, cout, k, k], strides, pads
     * (equal on all sides), output_padding (equal both ways); group ≠ 1, dilations ≠ 1, output_shape
     * and auto_pad are refused, naming the attribute.
     */
    private Layer convTranspose(Onnx.NodeProto n, Map<String, Onnx.AttributeProto> a) throws OnnxFormatException {
        float[] w = weight(n, 1);
        long[] wd = dims.get(n.getInput(1));
        if (wd.length != 4 || wd[2] != wd[3] || wd[0] < 1 || wd[1] < 1 || wd[2] < 1) {
            throw error(describe(n) + ": weight " + java.util.Arrays.toString(wd) + " is not [in, out, k, k]");
        }
        if (a.containsKey("group") && a.get("group").getI() != 1) throw error(describe(n) + ": attribute group " + a.get("group").getI() + " is not supported (1 only)");
        if (a.containsKey("dilations") && a.get("dilations").getIntsList().stream().anyMatch(d -> d != 1)) {
            throw error(describe(n) + ": attribute dilations " + a.get("dilations").getIntsList() + " is not supported (1 only)");
        }
        if (a.containsKey("output_shape")) {
            throw error(describe(n) + ": attribute output_shape " + a.get("output_shape").getIntsList() + " is not supported; export with output_padding");
        }
        if (a.containsKey("auto_pad") && !a.get("auto_pad").getS().toStringUtf8().equals("NOTSET")) {
            throw error(describe(n) + ": attribute auto_pad '" + a.get("auto_pad").getS().toStringUtf8() + "' is not supported; export with explicit pads");
        }
        if (a.containsKey("kernel_shape") && a.get("kernel_shape").getIntsList().stream().anyMatch(k -> k != wd[2])) {
            throw error(describe(n) + ": attribute kernel_shape " + a.get("kernel_shape").getIntsList() + " disagrees with the weight " + java.util.Arrays.toString(wd));
        }
        int s = a.containsKey("strides") ? equal(n, a.get("strides").getIntsList(), "strides") : 1;
        int p = a.containsKey("pads") ? equal(n, a.get("pads").getIntsList(), "pads") : 0;
        int op = a.containsKey("output_padding") ? equal(n, a.get("output_padding").getIntsList(), "output_padding") : 0;
        ConvTranspose2d ct = new ConvTranspose2d((int) wd[0], (int) wd[1], (int) wd[2], s, p, op, true);
        Map<String, float[]> m = new HashMap<>();
        m.put("weight", w);
        m.put("bias", n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? weight(n, 2) : new float[(int) wd[1]]);
        weights.put(ct, m);
        origins.put(ct, n);
        return ct;
    }

    /**
     * Resize (opset 10: X, scales; 11+: X, roi, scales, sizes) and the older Upsample (scales as
     * input or attribute) by whole spatial factors, as PyTorch's exporters write nn.Upsample and
     * F.interpolate: nearest with asymmetric coordinates and floor (or half-pixel coordinates with a
     * rounding nearest_mode, the same pixels for whole factors), and linear with half_pixel /
     * pytorch_half_pixel (align_corners False) or align_corners. Anything else (cubic, antialias,
     * exclude_outside, other coordinates, sizes, scales on batch or channels, fractional scales)
     * is refused, naming the node and the attribute or input.
     */
    private Layer resize(Onnx.NodeProto n, Map<String, Onnx.AttributeProto> a) throws OnnxFormatException {
        boolean upsampleOp = n.getOpType().equals("Upsample");
        String mode = attribute(a, "mode", "nearest");
        String coordinates = upsampleOp ? "asymmetric" : attribute(a, "coordinate_transformation_mode", "half_pixel");
        String nearestMode = upsampleOp ? "floor" : attribute(a, "nearest_mode", "round_prefer_floor");
        if (a.containsKey("antialias") && a.get("antialias").getI() != 0) throw error(describe(n) + ": attribute antialias " + a.get("antialias").getI() + " is not supported (0 only)");
        if (a.containsKey("exclude_outside") && a.get("exclude_outside").getI() != 0) {
            throw error(describe(n) + ": attribute exclude_outside " + a.get("exclude_outside").getI() + " is not supported (0 only)");
        }
        boolean bilinear;
        boolean alignCorners = false;
        switch (mode) {
            case "nearest" -> {
                bilinear = false;
                boolean floor = coordinates.equals("asymmetric") && nearestMode.equals("floor");
                boolean halfPixel = (coordinates.equals("half_pixel") || coordinates.equals("pytorch_half_pixel"))
                        && (nearestMode.equals("round_prefer_floor") || nearestMode.equals("round_prefer_ceil"));
                if (!floor && !halfPixel) {
                    throw error(describe(n) + ": nearest with coordinate_transformation_mode '" + coordinates + "' and nearest_mode '" + nearestMode
                            + "' is not supported (asymmetric with floor: PyTorch's mode='nearest')");
                }
            }
            case "linear", "bilinear" -> {
                bilinear = true;
                alignCorners = coordinates.equals("align_corners");
                if (!alignCorners && !coordinates.equals("half_pixel") && !coordinates.equals("pytorch_half_pixel")) {
                    throw error(describe(n) + ": linear with coordinate_transformation_mode '" + coordinates
                            + "' is not supported (half_pixel, pytorch_half_pixel or align_corners: PyTorch's bilinear)");
                }
            }
            default -> throw error(describe(n) + ": attribute mode '" + mode + "' is not supported (nearest or linear)");
        }
        float[] scales = resizeScales(n, a, upsampleOp);
        int[] factor = new int[2];
        for (int i = 0; i < 2; i++) {
            float f = scales[scales.length - 2 + i];
            if (f != Math.rint(f) || f < 1 || f > Upsample2d.MAX_SCALE) {
                throw error(describe(n) + ": scales " + java.util.Arrays.toString(scales) + " are not whole factors in 1.." + Upsample2d.MAX_SCALE
                        + " on height and width");
            }
            factor[i] = (int) f;
        }
        return new Upsample2d(factor[0], factor[1], bilinear ? Upsample2d.Mode.BILINEAR : Upsample2d.Mode.NEAREST, alignCorners);
    }

    /** A string attribute, or its default. */
    private static String attribute(Map<String, Onnx.AttributeProto> a, String name, String absent) {
        return a.containsKey(name) ? a.get(name).getS().toStringUtf8() : absent;
    }

    /** The constant scales of a Resize or Upsample: [1, 1, sh, sw] (or [sh, sw] with axes [2, 3]); sizes are refused. */
    private float[] resizeScales(Onnx.NodeProto n, Map<String, Onnx.AttributeProto> a, boolean upsampleOp) throws OnnxFormatException {
        float[] scales;
        if (upsampleOp && a.containsKey("scales")) {
            List<Float> list = a.get("scales").getFloatsList();
            scales = new float[list.size()];
            for (int i = 0; i < scales.length; i++) scales[i] = list.get(i);
        } else {
            int at = upsampleOp || n.getInputCount() == 2 ? 1 : 2;
            if (!upsampleOp && n.getInputCount() > 3 && !n.getInput(3).isEmpty()) {
                throw error(describe(n) + ": input sizes (" + n.getInput(3) + ") is not supported; export with scale_factor");
            }
            if (n.getInputCount() <= at || n.getInput(at).isEmpty()) throw error(describe(n) + " has no scales");
            scales = floats.get(n.getInput(at));
            if (scales == null) throw error(describe(n) + ": scales (input " + n.getInput(at) + ") must be a constant float tensor");
        }
        boolean spatialAxes = a.containsKey("axes") && a.get("axes").getIntsList().stream().map(x -> x < 0 ? x + 4 : x).toList().equals(List.of(2L, 3L));
        if (a.containsKey("axes") && !spatialAxes) throw error(describe(n) + ": attribute axes " + a.get("axes").getIntsList() + " is not supported (2, 3 only)");
        if (spatialAxes ? scales.length != 2 : scales.length != 4 || scales[0] != 1f || scales[1] != 1f) {
            throw error(describe(n) + ": scales " + java.util.Arrays.toString(scales) + " must be [1, 1, height, width] (no scaling of batch or channels)");
        }
        return scales;
    }
}
