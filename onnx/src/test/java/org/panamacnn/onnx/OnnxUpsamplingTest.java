package org.panamacnn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.proto.Onnx;
import org.panamacnn.parallel.ParallelExecutor;

/** How ConvTranspose, Resize and Upsample nodes are read, and what is refused (naming node and attribute or input). */
class OnnxUpsamplingTest {
    private static Onnx.TensorProto floats(String name, long[] dims, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(1).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
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

    private static Onnx.AttributeProto text(String name, String v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setS(ByteString.copyFromUtf8(v)).build();
    }

    private static Onnx.AttributeProto number(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setI(v).build();
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
        Sequential s = OnnxImport.read(new ByteArrayInputStream(bytes), "up.onnx", ParallelExecutor.SEQUENTIAL);
        return s.layers().stream().map(Layer::spec).toList();
    }

    private static Onnx.TensorProto scales(float... v) {
        return floats("s", new long[] {v.length}, v);
    }

    /** A Resize of x by scales s with the given attributes (opset 11+ inputs: X, roi "", scales). */
    private static Onnx.NodeProto resize(String name, Onnx.AttributeProto... attrs) {
        return node("Resize", name, List.of("x", "", "s"), "y", attrs);
    }

    private static void assertRefused(String expected, Onnx.NodeProto op, Onnx.TensorProto... constants) {
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> specs(op, constants));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void resizeAsBothExportersWriteIt() throws IOException {
        assertEquals("upsample scale=2", specs(resize("r", text("coordinate_transformation_mode", "asymmetric"), text("mode", "nearest"),
                text("nearest_mode", "floor"), number("antialias", 0), number("exclude_outside", 0)), scales(1, 1, 2, 2)).getFirst());
        assertEquals("upsample scale=2,3 mode=bilinear", specs(resize("r", text("coordinate_transformation_mode", "half_pixel"),
                text("mode", "linear")), scales(1, 1, 2, 3)).getFirst());
        assertEquals("upsample scale=4 mode=bilinear", specs(resize("r", text("coordinate_transformation_mode", "pytorch_half_pixel"),
                text("mode", "linear")), scales(1, 1, 4, 4)).getFirst());
        assertEquals("upsample scale=2 mode=bilinear align_corners=true", specs(resize("r", text("coordinate_transformation_mode", "align_corners"),
                text("mode", "linear")), scales(1, 1, 2, 2)).getFirst());
        assertEquals("upsample scale=3", specs(resize("r"), scales(1, 1, 3, 3)).getFirst(), "ONNX's defaults: nearest, half_pixel, round_prefer_floor");
        assertEquals("upsample scale=2", specs(node("Resize", "r10", List.of("x", "s"), "y"), scales(1, 1, 2, 2)).getFirst(), "opset 10's two inputs");
        assertEquals("upsample scale=2", specs(resize("r18", ints("axes", 2, 3)), scales(2, 2)).getFirst(), "opset 18's axes");
        assertEquals("upsample scale=2", specs(node("Upsample", "u9", List.of("x", "s"), "y", text("mode", "nearest")), scales(1, 1, 2, 2)).getFirst());
        Onnx.AttributeProto.Builder attr = Onnx.AttributeProto.newBuilder().setName("scales");
        for (float f : new float[] {1, 1, 2, 2}) attr.addFloats(f);
        assertEquals("upsample scale=2", specs(node("Upsample", "u7", List.of("x"), "y", attr.build())).getFirst(), "opset 7's attribute");
    }

    @Test
    void resizeRefusalsNameNodeAndAttribute() {
        assertRefused("'r1' (Resize): attribute mode 'cubic' is not supported", resize("r1", text("mode", "cubic")), scales(1, 1, 2, 2));
        assertRefused("'r2' (Resize): attribute antialias 1 is not supported", resize("r2", number("antialias", 1)), scales(1, 1, 2, 2));
        assertRefused("'r3' (Resize): attribute exclude_outside 1 is not supported", resize("r3", number("exclude_outside", 1)), scales(1, 1, 2, 2));
        assertRefused("'r4' (Resize): linear with coordinate_transformation_mode 'asymmetric' is not supported",
                resize("r4", text("mode", "linear"), text("coordinate_transformation_mode", "asymmetric")), scales(1, 1, 2, 2));
        assertRefused("'r5' (Resize): nearest with coordinate_transformation_mode 'align_corners' and nearest_mode 'round_prefer_floor'",
                resize("r5", text("coordinate_transformation_mode", "align_corners")), scales(1, 1, 2, 2));
        assertRefused("'r6' (Resize): scales [1.0, 1.0, 1.5, 1.5] are not whole factors", resize("r6"), scales(1, 1, 1.5f, 1.5f));
        assertRefused("'r7' (Resize): scales [1.0, 2.0, 2.0, 2.0] must be [1, 1, height, width]", resize("r7"), scales(1, 2, 2, 2));
        assertRefused("'r8' (Resize): input sizes (n) is not supported; export with scale_factor",
                node("Resize", "r8", List.of("x", "", "", "n"), "y"), int64s("n", 2, 2, 10, 10));
        assertRefused("'r9' (Resize): scales (input q) must be a constant float tensor", node("Resize", "r9", List.of("x", "", "q"), "y"), int64s("q", 1, 1, 2, 2));
        assertRefused("'r10' (Resize): nearest with coordinate_transformation_mode 'tf_crop_and_resize'",
                resize("r10", text("coordinate_transformation_mode", "tf_crop_and_resize")), scales(1, 1, 2, 2));
        assertRefused("'u1' (Upsample): linear with coordinate_transformation_mode 'asymmetric' is not supported",
                node("Upsample", "u1", List.of("x", "s"), "y", text("mode", "linear")), scales(1, 1, 2, 2));
    }

    private static Onnx.TensorProto weight(long cin, long cout, long k) {
        int n = (int) (cin * cout * k * k);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = 0.01f * (i % 7);
        return floats("w", new long[] {cin, cout, k, k}, v);
    }

    @Test
    void convTransposeAndWhatIsRefused() throws IOException {
        assertEquals("convtranspose2d in=2 out=4 kernel=3 stride=2 pad=1 output_pad=1", specs(node("ConvTranspose", "ct", List.of("x", "w", "b"), "y",
                ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), ints("output_padding", 1, 1), ints("dilations", 1, 1),
                number("group", 1), text("auto_pad", "NOTSET")), weight(2, 4, 3), floats("b", new long[] {4}, 1, 2, 3, 4)).getFirst());
        assertEquals("convtranspose2d in=2 out=3 kernel=2 stride=2 pad=0", specs(node("ConvTranspose", "ct", List.of("x", "w"), "y",
                ints("strides", 2, 2)), weight(2, 3, 2)).getFirst(), "no bias: a zero one");
        List<Object[]> refused = new ArrayList<>();
        refused.add(new Object[] {"'c1' (ConvTranspose): attribute output_shape [10, 10] is not supported", ints("output_shape", 10, 10)});
        refused.add(new Object[] {"'c2' (ConvTranspose): attribute group 2 is not supported", number("group", 2)});
        refused.add(new Object[] {"'c3' (ConvTranspose): attribute dilations [2, 2] is not supported", ints("dilations", 2, 2)});
        refused.add(new Object[] {"'c4' (ConvTranspose): attribute auto_pad 'SAME_UPPER' is not supported", text("auto_pad", "SAME_UPPER")});
        refused.add(new Object[] {"'c5' (ConvTranspose): pads [0, 0, 1, 1] must be equal", ints("pads", 0, 0, 1, 1)});
        refused.add(new Object[] {"'c6' (ConvTranspose): output_padding [1, 0] must be equal", ints("output_padding", 1, 0)});
        refused.add(new Object[] {"'c7' (ConvTranspose): attribute kernel_shape [2, 2] disagrees with the weight", ints("kernel_shape", 2, 2)});
        for (int i = 0; i < refused.size(); i++) {
            Object[] r = refused.get(i);
            assertRefused((String) r[0], node("ConvTranspose", "c" + (i + 1), List.of("x", "w"), "y", ints("strides", 2, 2), (Onnx.AttributeProto) r[1]),
                    weight(2, 4, 3));
        }
        assertRefused("'c8' (ConvTranspose): ConvTranspose2d: output_pad 2 must be less than the stride 2", node("ConvTranspose", "c8", List.of("x", "w"), "y",
                ints("strides", 2, 2), ints("output_padding", 2, 2)), weight(2, 4, 3));
    }
}
