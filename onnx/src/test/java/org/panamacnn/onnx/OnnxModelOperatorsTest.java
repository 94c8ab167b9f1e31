package org.panamacnn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.proto.Onnx;
import org.panamacnn.parallel.ParallelExecutor;

/** How the ONNX forms of the operators torchvision's models need are read, and what is refused (naming node and attribute). */
class OnnxModelOperatorsTest {
    private static Onnx.TensorProto scalar(String name, float v) {
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(1)
                .setRawData(ByteString.copyFrom(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array())).build();
    }

    private static Onnx.TensorProto int64s(String name, long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return Onnx.TensorProto.newBuilder().setName(name).setDataType(7).addDims(v.length).setRawData(ByteString.copyFrom(b.array())).build();
    }

    private static Onnx.ValueInfoProto value(String name, long... dims) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder().addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) s.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    private static Onnx.AttributeProto ints(String name, long... v) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    private static Onnx.NodeProto node(String op, String name, List<String> in, String out, Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out).addAllInput(in);
        for (Onnx.AttributeProto a : attrs) n.addAttribute(a);
        return n.build();
    }

    /** x [2, 5, 5] → the given node (reading x, writing y) → GlobalAveragePool → Flatten: its layer specs. */
    private static List<String> specs(Onnx.NodeProto op, Onnx.TensorProto... constants) throws IOException {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 2, 5, 5)).addOutput(value("z", 2))
                .addNode(op).addNode(node("GlobalAveragePool", "gap", List.of("y"), "p")).addNode(node("Flatten", "f", List.of("p"), "z"));
        for (Onnx.TensorProto t : constants) g.addInitializer(t);
        byte[] bytes = Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g).build().toByteArray();
        Sequential s = OnnxImport.read(new ByteArrayInputStream(bytes), "ops.onnx", ParallelExecutor.SEQUENTIAL);
        return s.layers().stream().map(Layer::spec).toList();
    }

    @Test
    void clipIsReluSixOrAClampOrAReluWithOnlyMinZero() throws IOException {
        assertEquals("relu6", specs(node("Clip", "c", List.of("x", "lo", "hi"), "y"), scalar("lo", 0), scalar("hi", 6)).getFirst());
        assertEquals("clip min=-1.0 max=2.5", specs(node("Clip", "c", List.of("x", "lo", "hi"), "y"), scalar("lo", -1), scalar("hi", 2.5f)).getFirst());
        assertEquals("relu", specs(node("Clip", "c", List.of("x", "lo"), "y"), scalar("lo", 0)).getFirst());
        Onnx.AttributeProto min = Onnx.AttributeProto.newBuilder().setName("min").setF(0).build();
        Onnx.AttributeProto max = Onnx.AttributeProto.newBuilder().setName("max").setF(6).build();
        assertEquals("relu6", specs(node("Clip", "c", List.of("x"), "y", min, max)).getFirst(), "opset 6's attributes");
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> specs(node("Clip", "c7", List.of("x", "", "hi"), "y"), scalar("hi", 6)));
        assertTrue(e.getMessage().contains("'c7' (Clip): Clip needs a finite min and max"), e.getMessage());
    }

    @Test
    void activationsAndTheirAttributes() throws IOException {
        assertEquals("sigmoid", specs(node("Sigmoid", "s", List.of("x"), "y")).getFirst());
        assertEquals("hardswish", specs(node("HardSwish", "s", List.of("x"), "y")).getFirst());
        assertEquals("hardsigmoid alpha=0.2 beta=0.5", specs(node("HardSigmoid", "s", List.of("x"), "y")).getFirst(), "ONNX's defaults");
    }

    @Test
    void reduceMeanOverHeightAndWidthIsAGlobalAveragePool() throws IOException {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 2, 5, 5)).addOutput(value("z", 2))
                .addInitializer(int64s("axes", -1, -2))
                .addNode(node("ReduceMean", "m", List.of("x", "axes"), "z",
                        Onnx.AttributeProto.newBuilder().setName("keepdims").setI(0).build()));
        Sequential s = OnnxImport.read(new ByteArrayInputStream(Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g).build().toByteArray()),
                "ops.onnx", ParallelExecutor.SEQUENTIAL);
        assertEquals(List.of("globalavgpool2d", "flatten"), s.layers().stream().map(Layer::spec).toList(), "keepdims 0: pool, then flatten");
        assertEquals("globalavgpool2d", specs(node("ReduceMean", "m", List.of("x"), "y", ints("axes", 2, 3))).getFirst(), "opset 13's attribute");
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> specs(node("ReduceMean", "m1", List.of("x"), "y", ints("axes", 1))));
        assertTrue(e.getMessage().contains("'m1' (ReduceMean): only a mean over the spatial axes"), e.getMessage());
    }

    private static Onnx.AttributeProto flag(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setI(v).build();
    }

    private static Onnx.TensorProto floats(String name, long[] dims, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(1).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    @Test
    void ceilModeAndPaddedAveragePoolsAndTheirAttributes() throws IOException {
        assertEquals("maxpool2d window=3 stride=2 pad=1 ceil=true", specs(node("MaxPool", "p", List.of("x"), "y", ints("kernel_shape", 3, 3),
                ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), flag("ceil_mode", 1))).getFirst());
        assertEquals("avgpool2d window=3 stride=2 pad=1 ceil=true count_include_pad=false", specs(node("AveragePool", "a", List.of("x"), "y",
                ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), flag("ceil_mode", 1))).getFirst(),
                "ONNX's count_include_pad defaults to 0");
        assertEquals("avgpool2d window=2 stride=2 pad=1", specs(node("AveragePool", "a", List.of("x"), "y", ints("kernel_shape", 2, 2),
                ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), flag("count_include_pad", 1))).getFirst());
        assertEquals("avgpool2d window=2 stride=2", specs(node("AveragePool", "a", List.of("x"), "y", ints("kernel_shape", 2, 2),
                ints("strides", 2, 2))).getFirst());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> specs(node("MaxPool", "m9", List.of("x"), "y",
                ints("kernel_shape", 2, 2), flag("ceil_mode", 2))));
        assertTrue(e.getMessage().contains("'m9' (MaxPool): attribute ceil_mode 2 is not supported"), e.getMessage());
        e = assertThrows(OnnxFormatException.class, () -> specs(node("MaxPool", "m8", List.of("x"), "y", ints("kernel_shape", 2, 2),
                flag("storage_order", 1))));
        assertTrue(e.getMessage().contains("'m8' (MaxPool): attribute storage_order 1 is not supported"), e.getMessage());
    }

    @Test
    void constantArithmeticGeluTanhAndWhatIsRefused() throws IOException {
        assertEquals("affine scale=1.0 shift=0.5", specs(node("Add", "a", List.of("c", "x"), "y"), scalar("c", 0.5f)).getFirst());
        assertEquals("affine scale=1.0 shift=-0.1,-0.2", specs(node("Sub", "s", List.of("x", "m"), "y"),
                floats("m", new long[] {1, 2, 1, 1}, 0.1f, 0.2f)).getFirst());
        assertEquals("affine scale=-1.0 shift=2.0", specs(node("Sub", "s", List.of("c", "x"), "y"), scalar("c", 2f)).getFirst());
        assertEquals("affine scale=3.0,4.0 shift=0.0", specs(node("Mul", "m", List.of("x", "k"), "y"),
                floats("k", new long[] {2, 1, 1}, 3f, 4f)).getFirst());
        assertEquals("divide by=0.25", specs(node("Div", "d", List.of("x", "c"), "y"), scalar("c", 0.25f)).getFirst());
        assertEquals("tanh", specs(node("Tanh", "t", List.of("x"), "y")).getFirst());
        assertEquals("gelu approximate=tanh", specs(node("Gelu", "g", List.of("x"), "y",
                Onnx.AttributeProto.newBuilder().setName("approximate").setS(ByteString.copyFromUtf8("tanh")).build())).getFirst());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> specs(node("Div", "d2", List.of("c", "x"), "y"), scalar("c", 2f)));
        assertTrue(e.getMessage().contains("'d2' (Div): dividing the constant c by a tensor is not supported"), e.getMessage());
        e = assertThrows(OnnxFormatException.class, () -> specs(node("Mul", "m2", List.of("x", "k"), "y"), floats("k", new long[] {5}, 1, 2, 3, 4, 5)));
        assertTrue(e.getMessage().contains("'m2' (Mul): the constant k has shape [5]; only a scalar or one value per channel"), e.getMessage());
        e = assertThrows(OnnxFormatException.class, () -> specs(node("Gelu", "g2", List.of("x"), "y",
                Onnx.AttributeProto.newBuilder().setName("approximate").setS(ByteString.copyFromUtf8("fast")).build())));
        assertTrue(e.getMessage().contains("'g2' (Gelu): attribute approximate 'fast' is not supported"), e.getMessage());
        e = assertThrows(OnnxFormatException.class, () -> specs(node("Erf", "erf7", List.of("x"), "y")));
        assertTrue(e.getMessage().contains("'erf7' (Erf) is not supported on its own, only in GELU's exact form"), e.getMessage());
    }

    @Test
    void paddedMaxPoolAndGroupedConvolution() throws IOException {
        assertEquals("maxpool2d window=3 stride=2 pad=1",
                specs(node("MaxPool", "p", List.of("x"), "y", ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1))).getFirst());
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> specs(node("MaxPool", "p2", List.of("x"), "y",
                ints("kernel_shape", 3, 3), ints("pads", 0, 0, 1, 1))));
        assertTrue(e.getMessage().contains("'p2' (MaxPool): pads [0, 0, 1, 1] must be equal"), e.getMessage());
        e = assertThrows(OnnxFormatException.class, () -> specs(node("MaxPool", "p3", List.of("x"), "y", ints("kernel_shape", 2, 2), ints("pads", 2, 2, 2, 2))));
        assertTrue(e.getMessage().contains("'p3' (MaxPool): pads 2 is more than half the kernel 2"), e.getMessage());
        Onnx.TensorProto w = Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(4).addDims(1).addDims(3).addDims(3)
                .setRawData(ByteString.copyFrom(new byte[4 * 36])).build();
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 2, 5, 5)).addOutput(value("y", 4, 5, 5)).addInitializer(w)
                .addNode(node("Conv", "dw", List.of("x", "w"), "y", ints("pads", 1, 1, 1, 1),
                        Onnx.AttributeProto.newBuilder().setName("group").setI(2).build()));
        Sequential s = OnnxImport.read(new ByteArrayInputStream(Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g).build().toByteArray()),
                "ops.onnx", ParallelExecutor.SEQUENTIAL);
        assertEquals("conv2d in=2 out=4 kernel=3 stride=1 pad=1 groups=2", s.layers().getFirst().spec());
    }
}
