package org.panamacnn.onnx.fuzz;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.onnx.proto.Onnx;

/**
 * Small valid ONNX files, one per operator form the importer reads, as seeds of OnnxFuzzTest's
 * corpus: the fuzzer mutates from files that reach each form's code (constant arithmetic, GELU in
 * both exporters' forms, Tanh, ceil-mode and padded pools, Clip, HardSwish, HardSigmoid, Sigmoid,
 * SiLU and squeeze-and-excitation's Mul of two tensors, ReduceMean with and without keepdims,
 * grouped, depthwise and bias-free convolution, Concat of one and of two tensors, Reshape to
 * [batch, features], the dynamo exporter's adaptive average pool). Each is x [batch, 2, 5, 5] → the
 * form → GlobalAveragePool → Flatten (or the form's own ending), opset 17.
 * OnnxFuzzSeedsTest checks that the committed seeds are these bytes and that each imports as the
 * layer named here; after a change here, rewrite them with
 * {@code main("onnx/src/test/resources/org/panamacnn/onnx/fuzz/OnnxFuzzTestInputs/read")}.
 */
public final class OnnxFuzzSeeds {
    private OnnxFuzzSeeds() {}

    /** A seed: its file name, the layer spec its form imports as, and the file. */
    public record Seed(String file, String spec, byte[] bytes) {}

    public static List<Seed> all() {
        float sqrt2 = (float) Math.sqrt(2.0);
        return List.of(
                seed("form-add-scalar.onnx", "affine scale=1.0 shift=0.5", List.of(node("Add", "add", List.of("c", "x"), "y")), scalar("c", 0.5f)),
                seed("form-sub-per-channel.onnx", "affine scale=1.0 shift=-0.1,-0.2",
                        List.of(node("Sub", "sub", List.of("x", "m"), "y")), floats("m", new long[] {1, 2, 1, 1}, 0.1f, 0.2f)),
                seed("form-sub-from-constant.onnx", "affine scale=-1.0 shift=2.0", List.of(node("Sub", "sub", List.of("c", "x"), "y")), scalar("c", 2f)),
                seed("form-mul-per-channel.onnx", "affine scale=3.0,4.0 shift=0.0",
                        List.of(node("Mul", "mul", List.of("x", "k"), "y")), floats("k", new long[] {2, 1, 1}, 3f, 4f)),
                seed("form-div-scalar.onnx", "divide by=0.25", List.of(node("Div", "div", List.of("x", "c"), "y")), scalar("c", 0.25f)),
                seed("form-gelu-erf-pattern.onnx", "gelu", List.of(
                        node("Div", "d", List.of("x", "sqrt2"), "xs"), node("Erf", "erf", List.of("xs"), "e"),
                        node("Add", "a", List.of("e", "one"), "e1"), node("Mul", "m", List.of("x", "e1"), "xe"),
                        node("Mul", "h", List.of("xe", "half"), "y")),
                        scalar("sqrt2", sqrt2), scalar("one", 1f), scalar("half", 0.5f)),
                seed("form-gelu.onnx", "gelu", List.of(node("Gelu", "g", List.of("x"), "y"))),
                seed("form-gelu-tanh.onnx", "gelu approximate=tanh", List.of(node("Gelu", "g", List.of("x"), "y", text("approximate", "tanh")))),
                seed("form-tanh.onnx", "tanh", List.of(node("Tanh", "t", List.of("x"), "y"))),
                seed("form-maxpool-ceil-padded.onnx", "maxpool2d window=3 stride=2 pad=1 ceil=true", List.of(node("MaxPool", "p", List.of("x"), "y",
                        ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), flag("ceil_mode", 1)))),
                seed("form-avgpool-ceil-padded.onnx", "avgpool2d window=3 stride=2 pad=1 ceil=true count_include_pad=false",
                        List.of(node("AveragePool", "p", List.of("x"), "y", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                                ints("pads", 1, 1, 1, 1), flag("ceil_mode", 1)))),
                seed("form-avgpool-count-pad.onnx", "avgpool2d window=2 stride=2 pad=1", List.of(node("AveragePool", "p", List.of("x"), "y",
                        ints("kernel_shape", 2, 2), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), flag("count_include_pad", 1)))),
                seed("form-clip-inputs.onnx", "clip min=-1.0 max=2.5", List.of(node("Clip", "c", List.of("x", "lo", "hi"), "y")),
                        scalar("lo", -1f), scalar("hi", 2.5f)),
                seed("form-clip-attributes.onnx", "relu6", List.of(node("Clip", "c", List.of("x"), "y", real("min", 0f), real("max", 6f)))),
                seed("form-hardswish.onnx", "hardswish", List.of(node("HardSwish", "h", List.of("x"), "y"))),
                seed("form-hardsigmoid.onnx", "hardsigmoid alpha=0.2 beta=0.5", List.of(node("HardSigmoid", "h", List.of("x"), "y"))),
                seed("form-reducemean-axes-input.onnx", "globalavgpool2d", List.of(node("ReduceMean", "r", List.of("x", "axes"), "y")),
                        int64s("axes", -1, -2)),
                seed("form-reducemean-attribute.onnx", "globalavgpool2d", List.of(node("ReduceMean", "r", List.of("x"), "y", ints("axes", 2, 3)))),
                seed("form-grouped-conv.onnx", "conv2d in=2 out=4 kernel=3 stride=1 pad=1 groups=2",
                        List.of(node("Conv", "conv", List.of("x", "w", "b"), "y", ints("pads", 1, 1, 1, 1), flag("group", 2))),
                        floats("w", new long[] {4, 1, 3, 3}, ramp(36)), floats("b", new long[] {4}, 0.1f, -0.1f, 0.2f, -0.2f)),
                seed("form-depthwise-conv.onnx", "conv2d in=2 out=2 kernel=3 stride=2 pad=1 groups=2",
                        List.of(node("Conv", "conv", List.of("x", "w"), "y", ints("pads", 1, 1, 1, 1), ints("strides", 2, 2), flag("group", 2))),
                        floats("w", new long[] {2, 1, 3, 3}, ramp(18))),
                seed("form-maxpool-padded.onnx", "maxpool2d window=3 stride=2 pad=1", List.of(node("MaxPool", "p", List.of("x"), "y",
                        ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)))),
                seed("form-sigmoid.onnx", "sigmoid", List.of(node("Sigmoid", "s", List.of("x"), "y"))),
                seed("form-silu.onnx", SILU_SPEC, List.of(node("Sigmoid", "s", List.of("x"), "sx"), node("Mul", "m", List.of("x", "sx"), "y"))),
                seed("form-se-gate.onnx", SE_GATE_SPEC, List.of(node("GlobalAveragePool", "squeeze", List.of("x"), "g"),
                        node("Sigmoid", "s", List.of("g"), "sg"), node("Mul", "scale", List.of("x", "sg"), "y"))),
                seed("form-concat-one.onnx", "relu", List.of(node("Concat", "cat", List.of("x"), "c", flag("axis", 1)), node("Relu", "r", List.of("c"), "y"))),
                seed("form-concat-two.onnx", CONCAT_SPEC, List.of(node("Relu", "r", List.of("x"), "rx"),
                        node("Concat", "cat", List.of("x", "rx"), "y", flag("axis", 1)))),
                model("form-reducemean-keepdims-0.onnx", "globalavgpool2d",
                        List.of(node("ReduceMean", "r", List.of("x"), "z", ints("axes", 2, 3), flag("keepdims", 0)))),
                model("form-reshape-to-features.onnx", "relu", List.of(node("Relu", "r", List.of("x"), "y"),
                        node("GlobalAveragePool", "gap", List.of("y"), "p"), node("Reshape", "flat", List.of("p", "shape"), "z")), int64s("shape", -1, 2)),
                seed("form-adaptive-avgpool-gather.onnx", "adaptiveavgpool2d out=2", List.of(node("Transpose", "t1", List.of("x"), "xt", ints("perm", 2, 3, 0, 1)),
                        node("GatherND", "gather", List.of("xt", "windows"), "cells"), node("Transpose", "t2", List.of("cells"), "ct", ints("perm", 4, 5, 0, 1, 2, 3)),
                        node("ReduceMean", "mean", List.of("ct"), "y", ints("axes", -3, -1), flag("keepdims", 0))), adaptiveWindows("windows", 5, 2)),
                seed("form-convtranspose.onnx", "convtranspose2d in=2 out=3 kernel=3 stride=2 pad=1 output_pad=1",
                        List.of(node("ConvTranspose", "ct", List.of("x", "w", "b"), "y", ints("strides", 2, 2), ints("pads", 1, 1, 1, 1),
                                ints("output_padding", 1, 1))), floats("w", new long[] {2, 3, 3, 3}, ramp(54)), floats("b", new long[] {3}, 0.1f, -0.1f, 0.2f)),
                seed("form-resize-nearest.onnx", "upsample scale=2,3", List.of(node("Resize", "r", List.of("x", "", "s"), "y",
                        text("coordinate_transformation_mode", "asymmetric"), text("mode", "nearest"), text("nearest_mode", "floor"))),
                        floats("s", new long[] {4}, 1f, 1f, 2f, 3f)),
                seed("form-resize-bilinear.onnx", "upsample scale=2 mode=bilinear align_corners=true", List.of(node("Resize", "r", List.of("x", "", "s"), "y",
                        text("coordinate_transformation_mode", "align_corners"), text("mode", "linear"))), floats("s", new long[] {4}, 1f, 1f, 2f, 2f)));
    }

    // the forms joining two computed tensors import as a graph (the spec of the model's one layer)
    private static final String SILU_SPEC = "graph nodes=[n0_sigmoid: sigmoid | n1_mul(input, n0_sigmoid): mul"
            + " | n2_globalaveragepool: globalavgpool2d | n3_flatten: flatten]";
    private static final String SE_GATE_SPEC = "graph nodes=[n0_globalaveragepool: globalavgpool2d | n1_sigmoid: sigmoid"
            + " | n2_mul(input, n1_sigmoid): mul | n3_globalaveragepool: globalavgpool2d | n4_flatten: flatten]";
    private static final String CONCAT_SPEC = "graph nodes=[n0_relu: relu | n1_concat(input, n0_relu): concat"
            + " | n2_globalaveragepool: globalavgpool2d | n3_flatten: flatten]";

    /**
     * Files the importer once let through as a bare IllegalArgumentException (a layer refusing the
     * node's values), kept in the corpus so the fuzz target replays them; spec here is the part of
     * the OnnxFormatException's message that names the node.
     */
    public static List<Seed> regressions() {
        return List.of(
                seed("regression-clip-min-above-max.onnx", "'c' (Clip): clip needs min <= max",
                        List.of(node("Clip", "c", List.of("x", "lo", "hi"), "y")), scalar("lo", 5f), scalar("hi", 1f)),
                seed("regression-hardsigmoid-infinite-alpha.onnx", "'h' (HardSigmoid)",
                        List.of(node("HardSigmoid", "h", List.of("x"), "y", real("alpha", Float.POSITIVE_INFINITY)))),
                seed("regression-empty-constant.onnx", "'sub' (Sub)",
                        List.of(node("Sub", "sub", List.of("x", "m"), "y")), floats("m", new long[] {0, 1, 1})));
    }

    /** Writes every seed and regression into dir. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (Seed s : all()) Files.write(dir.resolve(s.file()), s.bytes());
        for (Seed s : regressions()) Files.write(dir.resolve(s.file()), s.bytes());
    }

    /** x [batch, 2, 5, 5] → nodes (the last writing y) → GlobalAveragePool → Flatten → z. */
    private static Seed seed(String file, String spec, List<Onnx.NodeProto> nodes, Onnx.TensorProto... constants) {
        List<Onnx.NodeProto> all = new java.util.ArrayList<>(nodes);
        all.add(node("GlobalAveragePool", "gap", List.of("y"), "p"));
        all.add(node("Flatten", "flat", List.of("p"), "z"));
        return model(file, spec, all, constants);
    }

    /** x [batch, 2, 5, 5] → nodes, the last writing the output z [batch, features]. */
    private static Seed model(String file, String spec, List<Onnx.NodeProto> nodes, Onnx.TensorProto... constants) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("seed").addInput(value("x", 2, 5, 5)).addOutput(value("z", -1));
        for (Onnx.TensorProto t : constants) g.addInitializer(t);
        for (Onnx.NodeProto n : nodes) g.addNode(n);
        Onnx.ModelProto m = Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).build();
        return new Seed(file, spec, m.toByteArray());
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i % 7 - 3) * 0.125f;
        return v;
    }

    private static Onnx.ValueInfoProto value(String name, long... dims) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder().addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) {
            s.addDim(d < 0 ? Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("features")
                    : Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    private static Onnx.NodeProto node(String op, String name, List<String> in, String out, Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out).addAllInput(in);
        for (Onnx.AttributeProto a : attrs) n.addAttribute(a);
        return n.build();
    }

    private static Onnx.AttributeProto ints(String name, long... v) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    private static Onnx.AttributeProto flag(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setI(v).build();
    }

    private static Onnx.AttributeProto real(String name, float v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setF(v).build();
    }

    private static Onnx.AttributeProto text(String name, String v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setS(ByteString.copyFromUtf8(v)).build();
    }

    private static Onnx.TensorProto scalar(String name, float v) {
        return floats(name, new long[0], v);
    }

    private static Onnx.TensorProto floats(String name, long[] dims, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(1).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    /**
     * The dynamo exporter's GatherND indices for AdaptiveAvgPool2d(out) on a size×size map:
     * [out, k, out, k, 2] of (row, column) pairs (⌊i·size/out⌋ + a, ⌊j·size/out⌋ + b), a, b < k;
     * window i covers ⌊i·size/out⌋ .. ⌈(i+1)·size/out⌉, so k = ⌈size/out⌉ when every window is
     * that wide (5 → 2: rows 0..2 and 2..4).
     */
    private static Onnx.TensorProto adaptiveWindows(String name, int size, int out) {
        int k = Math.ceilDiv(size, out);
        ByteBuffer b = ByteBuffer.allocate(8 * out * k * out * k * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < out; i++) for (int a = 0; a < k; a++) for (int j = 0; j < out; j++) for (int c = 0; c < k; c++) {
            b.putLong(i * size / out + a).putLong(j * size / out + c);
        }
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(7).addAllDims(List.of((long) out, (long) k, (long) out, (long) k, 2L))
                .setRawData(ByteString.copyFrom(b.array())).build();
    }

    private static Onnx.TensorProto int64s(String name, long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(7).addDims(v.length).setRawData(ByteString.copyFrom(b.array())).build();
    }
}
