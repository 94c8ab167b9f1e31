package org.panamacnn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.infer.InferenceModel;
import org.panamacnn.infer.Predictor;
import org.panamacnn.io.ModelFile;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Graph;
import org.panamacnn.nn.LayerSpec;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.proto.Onnx;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * ONNX files built to break the importer: structures far deeper or longer than any real model
 * (no recursion may follow them), and tensors, opsets and operators of the wrong kind (each
 * refused by name, never guessed at).
 */
class OnnxHostileTest {
    @TempDir
    Path dir;

    private static Onnx.ValueInfoProto value(String name, long... dims) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder().addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) s.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    private static Onnx.NodeProto node(String op, String name, String out, String... in) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
        for (String i : in) n.addInput(i);
        return n.build();
    }

    private static Onnx.TensorProto raw(String name, int type, byte[] data, long... dims) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(type).setRawData(ByteString.copyFrom(data));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    private static Onnx.TensorProto floats(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return raw(name, 1, b.array(), dims);
    }

    private static Onnx.TensorProto int64s(String name, long[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return raw(name, 7, b.array(), dims);
    }

    private static Sequential read(Onnx.ModelProto.Builder m) throws IOException {
        return OnnxImport.read(new ByteArrayInputStream(m.build().toByteArray()), "hostile.onnx", ParallelExecutor.SEQUENTIAL);
    }

    private static Sequential read(Onnx.GraphProto.Builder g) throws IOException {
        return read(Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g));
    }

    private static String refusal(Onnx.GraphProto.Builder g) {
        return assertThrows(OnnxFormatException.class, () -> read(g)).getMessage();
    }

    @Test
    @Timeout(60)
    void aHundredThousandReluChainEndingInAConcatPlansWithoutRecursion() throws IOException {
        // the chain's in-place nodes each pass the border on to the one before: a planner that
        // recurses along them overflowed the stack here
        int n = 100_000;
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 1, 2, 2)).addOutput(value("y", 8));
        String t = "x";
        for (int i = 0; i < n; i++) {
            g.addNode(node("Relu", "r" + i, "a" + i, t));
            t = "a" + i;
        }
        g.addNode(node("Relu", "side", "s", "x"));
        Onnx.NodeProto.Builder cat = node("Concat", "cat", "c", t, "s").toBuilder()
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("axis").setI(1));
        g.addNode(cat).addNode(node("Flatten", "f", "y", "c"));
        Sequential m = read(g);
        assertInstanceOf(Graph.class, m.layers().getFirst());
        InferenceModel planned = InferenceModel.compile(m);
        assertEquals(8, planned.classes());
    }

    /** x → block 0 → y, where block i is y_i = t_i + block_{i+1}(relu(t_i)) and the innermost is relu: blocks nested `depth` deep. */
    private static Onnx.GraphProto.Builder nestedResiduals(int depth) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 4)).addOutput(value("r0", 4));
        for (int i = 0; i < depth; i++) g.addNode(node("Relu", "down" + i, "t" + (i + 1), i == 0 ? "x" : "t" + i));
        g.addNode(node("Relu", "inner", "r" + depth, "t" + depth));
        for (int i = depth - 1; i >= 0; i--) g.addNode(node("Add", "join" + i, "r" + i, i == 0 ? "x" : "t" + i, "r" + (i + 1)));
        return g;
    }

    @Test
    @Timeout(60)
    void residualBlocksNestedTenThousandDeepImportAsAGraphThatComputesThem() throws IOException {
        int depth = 10_000;
        Sequential m = read(nestedResiduals(depth));
        assertInstanceOf(Graph.class, m.layers().getFirst());
        float[] x = {-1, 2, 0.5f, -3};
        float[] y = m.forward(new Tensor(Shape.of(1, 4), x.clone()), false).toArray();
        for (int i = 0; i < 4; i++) assertEquals(x[i] + depth * Math.max(0, x[i]), y[i], 1e-3f * depth, "output " + i);
    }

    @Test
    void residualBlocksOneLevelDeeperThanAModelFileHoldsConvertAndLoadBack() throws IOException {
        // convert wrote such a model, which predict then refused: now the importer never makes a
        // nesting the file format cannot hold
        Sequential m = read(nestedResiduals(LayerSpec.MAX_NESTING + 1));
        Path file = dir.resolve("nested.safetensors");
        ModelFile.save(file, m, Map.of());
        try (Predictor p = Predictor.load(file)) {
            float[] probs = p.probabilities(new float[] {1, 2, 3, 4});
            assertEquals(4, probs.length);
        }
        // nesting the format holds stays residual blocks
        Sequential shallow = read(nestedResiduals(LayerSpec.MAX_NESTING));
        assertTrue(shallow.layers().getFirst() instanceof org.panamacnn.nn.Residual, shallow.layers().getFirst().describe());
    }

    private static Onnx.GraphProto.Builder dense(Onnx.TensorProto weight, Onnx.TensorProto bias) {
        return Onnx.GraphProto.newBuilder().addInput(value("x", 2)).addOutput(value("y", 2))
                .addInitializer(weight).addInitializer(bias)
                .addNode(node("MatMul", "mm", "z", "x", weight.getName()))
                .addNode(node("Add", "bias", "y", "z", bias.getName()));
    }

    @Test
    void anInt64BiasIsRefusedByNameNotDropped() {
        String e = refusal(dense(floats("W", new float[] {1, 0, 0, 1}, 2, 2), int64s("b", new long[] {5, 7}, 2)));
        assertTrue(e.startsWith("hostile.onnx: ") && e.contains("'bias' (Add)") && e.contains("INT64") && e.contains("float"), e);
        String gemm = refusal(Onnx.GraphProto.newBuilder().addInput(value("x", 2)).addOutput(value("y", 2))
                .addInitializer(int64s("W", new long[] {1, 0, 0, 1}, 2, 2)).addNode(node("Gemm", "g", "y", "x", "W")));
        assertTrue(gemm.contains("'g' (Gemm)") && gemm.contains("input W") && gemm.contains("INT64"), gemm);
    }

    @Test
    void halfBfloatAndDoubleWeightsAreConvertedExplicitly() throws IOException {
        float[] w = {1.5f, -2, 0.25f, 3}, b = {0.5f, -1};
        ByteBuffer half = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN), bf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : w) {
            half.putShort(Float.floatToFloat16(f));
            bf.putShort((short) (Float.floatToIntBits(f) >>> 16));
        }
        ByteBuffer dbl = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : b) dbl.putDouble(f);
        Onnx.TensorProto doubleBias = raw("b", 11, dbl.array(), 2);
        for (Onnx.TensorProto weight : new Onnx.TensorProto[] {raw("W", 10, half.array(), 2, 2), raw("W", 16, bf.array(), 2, 2)}) {
            Sequential m = read(dense(weight, doubleBias));
            Dense d = (Dense) m.layers().getFirst();
            // ours is [out, in]; ONNX's MatMul weight is [in, out]
            assertEquals(w[0], d.weight().value().get(0));
            assertEquals(w[2], d.weight().value().get(1));
            assertEquals(w[1], d.weight().value().get(2));
            assertEquals(b[1], d.bias().value().get(1));
        }
        Onnx.TensorProto halfInInt32 = Onnx.TensorProto.newBuilder().setName("W").setDataType(10).addDims(2).addDims(2)
                .addInt32Data(Float.floatToFloat16(1)).addInt32Data(0).addInt32Data(0).addInt32Data(Float.floatToFloat16(-4)).build();
        Dense d = (Dense) read(dense(halfInInt32, doubleBias)).layers().getFirst();
        assertEquals(-4f, d.weight().value().get(3));
        String e = refusal(dense(raw("W", 6, new byte[16], 2, 2), doubleBias));
        assertTrue(e.contains("initializer W") && e.contains("INT32 (6)"), e);
        ByteBuffer huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(1e300);
        String overflow = refusal(dense(raw("W", 10, half.array(), 2, 2), raw("b", 11, huge.array(), 2)));
        assertTrue(overflow.contains("initializer b (DOUBLE (11)) holds Infinity at index 1 (as float32); weights must be finite"), overflow);
        String shortHalf = refusal(dense(raw("W", 10, new byte[6], 2, 2), doubleBias));
        assertTrue(shortHalf.contains("initializer W (FLOAT16 (10)) holds 6 bytes, its dims need 8"), shortHalf);
    }

    private static Onnx.GraphProto.Builder oneRelu() {
        return Onnx.GraphProto.newBuilder().addInput(value("x", 4)).addOutput(value("y", 4)).addNode(node("Relu", "r", "y", "x"));
    }

    @Test
    void opsetsOutsideTheSupportedRangeAreRefused() throws IOException {
        for (long version : new long[] {1, 9999}) {
            Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(oneRelu())
                    .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(version));
            String e = assertThrows(OnnxFormatException.class, () -> read(m)).getMessage();
            assertTrue(e.startsWith("hostile.onnx: declares ONNX opset " + version + "; supported are opsets "), e);
        }
        read(Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(oneRelu())
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("com.example.custom").setVersion(1)));
    }

    @Test
    void anOperatorOfACustomDomainIsNotTakenForTheStandardOne() {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 4)).addOutput(value("y", 4))
                .addNode(node("Relu", "r", "y", "x").toBuilder().setDomain("com.example.custom"));
        String e = refusal(g);
        assertTrue(e.contains("'r' (Relu) is operator com.example.custom::Relu of a custom domain"), e);
    }

    @Test
    void aZeroStrideIsNamedAsSuch() {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 1, 4, 4)).addOutput(value("y", 1, 4, 4))
                .addInitializer(floats("w", new float[9], 1, 1, 3, 3))
                .addNode(node("Conv", "c", "y", "x", "w").toBuilder()
                        .addAttribute(Onnx.AttributeProto.newBuilder().setName("strides").addInts(0).addInts(0)));
        String e = refusal(g);
        assertTrue(e.contains("'c' (Conv): attribute strides [0, 0] must be 2 values in 1..4096"), e);
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

    /** x [batch, 2, 5, 5] → op (reading x, writing y) → GlobalAveragePool → Flatten: the importer's refusal of op. */
    private static String refusalOf(Onnx.NodeProto op, Onnx.TensorProto... constants) {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 2, 5, 5)).addOutput(value("z", 2)).addNode(op)
                .addNode(node("GlobalAveragePool", "gap", "p", "y")).addNode(node("Flatten", "f", "z", "p"));
        for (Onnx.TensorProto t : constants) g.addInitializer(t);
        return refusal(g);
    }

    private static Onnx.NodeProto with(Onnx.NodeProto n, Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder b = n.toBuilder();
        for (Onnx.AttributeProto a : attrs) b.addAttribute(a);
        return b.build();
    }

    private static void assertNames(String message, String... parts) {
        assertTrue(message.startsWith("hostile.onnx: "), message);
        for (String p : parts) assertTrue(message.contains(p), "'" + p + "' missing from: " + message);
    }

    @Test
    void ceilModeAndPaddedPoolsWithBadPadsOrWindowsAreRefusedByNode() {
        assertNames(refusalOf(with(node("MaxPool", "mp", "y", "x"), ints("kernel_shape", 3, 3), ints("pads", 2, 2, 2, 2), flag("ceil_mode", 1))),
                "'mp' (MaxPool): pads 2 is more than half the kernel 3");
        assertNames(refusalOf(with(node("AveragePool", "ap", "y", "x"), ints("kernel_shape", 3, 3), ints("pads", 1, 0, 1, 0), flag("ceil_mode", 1))),
                "'ap' (AveragePool): pads [1, 0, 1, 0] must be equal in every direction");
        assertNames(refusalOf(with(node("AveragePool", "ap", "y", "x"), ints("kernel_shape", 3, 3), ints("pads", -1, -1, -1, -1), flag("ceil_mode", 1))),
                "'ap' (AveragePool): pads [-1, -1, -1, -1] must be equal in every direction and 0..4096");
        assertNames(refusalOf(with(node("MaxPool", "mp", "y", "x"), ints("kernel_shape", 9, 9), ints("pads", 1, 1, 1, 1), flag("ceil_mode", 1))),
                "the layers do not fit together", "window 9 is larger than input");
        assertNames(refusalOf(with(node("AveragePool", "ap", "y", "x"), ints("kernel_shape", 2, 2), flag("count_include_pad", 7))),
                "'ap' (AveragePool): attribute count_include_pad 7 is not supported (0 or 1)");
        assertNames(refusalOf(with(node("MaxPool", "mp", "y", "x"), ints("kernel_shape", 2, 2), ints("dilations", 2, 2), flag("ceil_mode", 1))),
                "'mp' (MaxPool): attribute dilations [2, 2] is not supported");
    }

    @Test
    void constantArithmeticWithWrongShapedOrEmptyConstantsIsRefusedByNode() {
        // three per-channel values for a two-channel input
        assertNames(refusalOf(node("Add", "a3", "y", "x", "c"), floats("c", new float[] {1, 2, 3}, 1, 3, 1, 1)),
                "the layers do not fit together", "3 per-channel constants need an image input of 3 channels");
        // a per-channel constant after Flatten: ONNX would broadcast [2, 1, 1] with [N, F] to a new shape
        Onnx.GraphProto.Builder flat = Onnx.GraphProto.newBuilder().addInput(value("x", 2, 5, 5)).addOutput(value("z", 50))
                .addInitializer(floats("k", new float[] {2, 3}, 2, 1, 1))
                .addNode(node("Flatten", "f", "p", "x")).addNode(node("Mul", "m5", "z", "p", "k"));
        assertNames(refusal(flat), "the layers do not fit together", "2 per-channel constants need an image input");
        assertNames(refusalOf(node("Sub", "s0", "y", "x", "e"), floats("e", new float[0], 0, 1, 1)), "'s0' (Sub)", "no values");
        assertNames(refusalOf(node("Mul", "m4", "y", "x", "k"), floats("k", new float[] {1, 2, 3, 4}, 1, 2, 2, 1)),
                "'m4' (Mul): the constant k has shape [1, 2, 2, 1]; only a scalar or one value per channel");
        assertNames(refusalOf(node("Div", "d0", "y", "x", "c"), floats("c", new float[] {1, 0}, 2, 1, 1)), "'d0' (Div): division by the constant c, which holds 0");
        assertNames(refusalOf(node("Add", "a2", "y", "x", "c"), int64s("c", new long[] {1}, 1)), "'a2' (Add): the constant c is an initializer of type INT64");
        assertNames(refusalOf(node("Add", "a1", "y", "x")), "'a1' (Add): Add needs two inputs, got 1");
        Onnx.GraphProto.Builder twoConstants = Onnx.GraphProto.newBuilder().addInput(value("x", 2, 5, 5)).addOutput(value("z", 2))
                .addInitializer(floats("c", new float[] {1}, 1)).addInitializer(floats("d", new float[] {2}, 1))
                .addNode(node("Mul", "mc", "y", "c", "d")).addNode(node("Relu", "r", "z", "x"));
        assertNames(refusal(twoConstants), "'mc' (Mul)");
    }

    @Test
    void clipWithComputedReversedOrNonFiniteBoundsIsRefusedByNode() {
        // the bound is computed from the data: the graph importer reads Clip as a node of two computed inputs
        Onnx.GraphProto.Builder computed = Onnx.GraphProto.newBuilder().addInput(value("x", 2, 5, 5)).addOutput(value("z", 2))
                .addNode(node("GlobalAveragePool", "lo", "m", "x")).addNode(node("Clip", "cl", "y", "x", "m"))
                .addNode(node("GlobalAveragePool", "gap", "p", "y")).addNode(node("Flatten", "f", "z", "p"));
        assertNames(refusal(computed), "'cl' (Clip) reads 2 computed tensors; one is supported");
        assertNames(refusalOf(node("Clip", "c1", "y", "x", "lo", "hi"), floats("lo", new float[] {5}), floats("hi", new float[] {1})),
                "'c1' (Clip): clip needs min <= max, got min 5.0, max 1.0");
        assertNames(refusalOf(with(node("Clip", "c2", "y", "x"), real("min", 3), real("max", -3))), "'c2' (Clip): clip needs min <= max");
        assertNames(refusalOf(node("Clip", "c3", "y", "x", "lo", "hi"), floats("lo", new float[] {0, 1}, 2), floats("hi", new float[] {6})),
                "'c3' (Clip): min (input 1, lo) must be a constant float scalar");
        assertNames(refusalOf(with(node("Clip", "c4", "y", "x"), real("min", Float.NaN))), "'c4' (Clip): Clip min is NaN");
        assertNames(refusalOf(node("Clip", "c5", "y", "x", "lo"), int64s("lo", new long[] {0})), "'c5' (Clip): min (input 1, lo) must be a constant float scalar");
    }

    @Test
    void activationsWithUnknownOrNonFiniteAttributesAreRefusedByNode() {
        for (String approximate : new String[] {"", "TANH", "erf"}) {
            Onnx.AttributeProto a = Onnx.AttributeProto.newBuilder().setName("approximate").setS(ByteString.copyFromUtf8(approximate)).build();
            assertNames(refusalOf(with(node("Gelu", "g1", "y", "x"), a)), "'g1' (Gelu): attribute approximate '" + approximate + "' is not supported (none or tanh)");
        }
        assertNames(refusalOf(with(node("HardSigmoid", "hs", "y", "x"), real("alpha", Float.POSITIVE_INFINITY))), "'hs' (HardSigmoid)", "must be finite");
        assertNames(refusalOf(with(node("LeakyRelu", "lr", "y", "x"), real("alpha", Float.NaN))), "'lr' (LeakyRelu)", "must be finite");
        // an Erf that is not GELU's exact form
        assertNames(refusalOf(node("Erf", "e1", "y", "x")), "'e1' (Erf) is not supported on its own");
    }

    @Test
    void groupedConvolutionWithGroupsThatDoNotFitIsRefusedByNode() {
        Onnx.TensorProto w = floats("w", new float[4 * 9], 4, 1, 3, 3);
        assertNames(refusalOf(with(node("Conv", "g3", "y", "x", "w"), flag("group", 3)), w), "'g3' (Conv): group 3 does not divide the 4 output channels");
        assertNames(refusalOf(with(node("Conv", "g0", "y", "x", "w"), flag("group", 0)), w), "'g0' (Conv): group 0 does not divide");
        assertNames(refusalOf(with(node("Conv", "g4", "y", "x", "w"), flag("group", 4)), w), "the layers do not fit together", "expects 4 input channels");
        assertNames(refusalOf(with(node("Conv", "gz", "y", "x", "w"), flag("group", 2)), floats("w", new float[0], 4, 0, 3, 3)),
                "'gz' (Conv): weight [4, 0, 3, 3] is not [out, in, kh, kw]");
        // a bias of the wrong length: the error names the node as well as the layer
        assertNames(refusalOf(node("Conv", "cb", "y", "x", "w2", "b"), floats("w2", new float[4 * 2 * 9], 4, 2, 3, 3), floats("b", new float[3], 3)),
                "'cb' (Conv) as Conv2d", "bias needs 4 values, the file has 3");
    }

    /** What a general convolution still refuses names the node and the attribute. */
    @Test
    void convolutionAttributesOutOfReachAreRefusedByNode() {
        Onnx.TensorProto w = floats("w", new float[4 * 2 * 3], 4, 2, 1, 3);
        assertNames(refusalOf(with(node("Conv", "gr", "y", "x", "w"), flag("group", 2), ints("pads", 0, 1, 0, 1)), w),
                "'gr' (Conv): attribute group 2 with kernel 1×3", "is not supported");
        Onnx.TensorProto w2 = floats("w2", new float[4 * 2 * 3], 4, 2, 1, 3);
        assertNames(refusalOf(with(node("Conv", "p3", "y", "x", "w2"), ints("pads", 0, 1, 0)), w2), "'p3' (Conv): attribute pads [0, 1, 0] must be 4 values");
        assertNames(refusalOf(with(node("Conv", "pn", "y", "x", "w2"), ints("pads", 0, -1, 0, 1)), w2), "'pn' (Conv): attribute pads [0, -1, 0, 1]");
        assertNames(refusalOf(with(node("Conv", "d0", "y", "x", "w2"), ints("dilations", 1, 0)), w2), "'d0' (Conv): attribute dilations [1, 0]");
        assertNames(refusalOf(with(node("Conv", "ks", "y", "x", "w2"), ints("kernel_shape", 3, 1)), w2),
                "'ks' (Conv): attribute kernel_shape [3, 1] does not match the weight [4, 2, 1, 3]");
        Onnx.AttributeProto auto = Onnx.AttributeProto.newBuilder().setName("auto_pad").setS(ByteString.copyFromUtf8("SAME_MIDDLE")).build();
        assertNames(refusalOf(with(node("Conv", "ap", "y", "x", "w2"), auto), w2), "'ap' (Conv): attribute auto_pad 'SAME_MIDDLE' is not supported");
        // a dilated kernel wider than the padded input: refused when the layers are built, naming the layer and the input
        assertNames(refusalOf(with(node("Conv", "dw", "y", "x", "w2"), ints("dilations", 1, 3)), w2), "the layers do not fit together",
                "dilation 1×3", "[2, 5, 5]", "spanning 7");
    }

    @Test
    void reduceMeanOverOtherAxesOrWithComputedAxesIsRefusedByNode() {
        assertNames(refusalOf(node("ReduceMean", "rm", "y", "x", "axes"), floats("axes", new float[] {2, 3}, 2)),
                "'rm' (ReduceMean): axes (input axes) must be a constant int64 tensor");
        assertNames(refusalOf(node("ReduceMean", "rm", "y", "x", "axes"), int64s("axes", new long[] {2, 2}, 2)),
                "'rm' (ReduceMean): only a mean over the spatial axes [2, 3]", "got axes [2, 2]");
        assertNames(refusalOf(node("ReduceMean", "rm", "y", "x")), "'rm' (ReduceMean)", "got axes none (all axes)");
    }
    /** Bytes this thread allocated while running r (HotSpot's per-thread counter). */
    private static long allocatedBy(Runnable r) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        r.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void anInitializerClaimingTwoBillionValuesOverAFewBytesAllocatesNothingForThem() {
        // found by the fuzzer: the values were allocated from the dims before the data was
        // checked to hold them (8 GB for 2^31 floats: OutOfMemoryError)
        long huge = Integer.MAX_VALUE - 8;
        for (int type : new int[] {1, 10, 11, 16}) {
            for (boolean raw : new boolean[] {true, false}) {
                Onnx.TensorProto.Builder w = Onnx.TensorProto.newBuilder().setName("w").setDataType(type).addDims(huge);
                if (raw) w.setRawData(ByteString.copyFrom(new byte[8]));
                else if (type == 1) w.addFloatData(1);
                else if (type == 11) w.addDoubleData(1);
                else w.addInt32Data(1);
                Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 4)).addOutput(value("y", 4)).addInitializer(w)
                        .addNode(node("Relu", "r", "y", "x"));
                String[] message = new String[1];
                long bytes = allocatedBy(() -> message[0] = refusal(g));
                assertNames(message[0], "initializer w", "its dims need");
                assertTrue(bytes < 64L << 20, "type " + type + (raw ? " raw" : " typed") + ": allocated " + bytes + " bytes");
            }
        }
        for (boolean raw : new boolean[] {true, false}) {
            Onnx.TensorProto.Builder shape = Onnx.TensorProto.newBuilder().setName("s").setDataType(7).addDims(huge);
            if (raw) shape.setRawData(ByteString.copyFrom(new byte[16]));
            else shape.addInt64Data(2);
            Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 4)).addOutput(value("y", 4)).addInitializer(shape)
                    .addNode(node("Relu", "r", "y", "x"));
            String[] message = new String[1];
            long bytes = allocatedBy(() -> message[0] = refusal(g));
            assertNames(message[0], "initializer s", "its dims need");
            assertTrue(bytes < 64L << 20, "INT64" + (raw ? " raw" : " typed") + ": allocated " + bytes + " bytes");
        }
    }
}
