package org.panamacnn.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.panamacnn.nn.AdaptiveAvgPool2d;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.proto.Onnx;
import org.panamacnn.parallel.ParallelExecutor;

/**
 * The dynamo exporter's AdaptiveAvgPool2d((7, 7)) on an 8×8 map (tiny-vgg-dynamo: Transpose → GatherND
 * → Transpose → ReduceMean) imports as one {@link AdaptiveAvgPool2d}; the same file with one link of
 * the pattern changed is refused, naming the GatherND and what is wrong.
 */
class AdaptivePoolPatternTest {
    private static final Path FILE = Path.of("src/test/resources/torchvision/tiny-vgg-dynamo.onnx");

    private static Onnx.ModelProto model() throws IOException {
        return Onnx.ModelProto.parseFrom(Files.readAllBytes(FILE));
    }

    private static Sequential read(Onnx.ModelProto m) throws IOException {
        return OnnxImport.read(new ByteArrayInputStream(m.toByteArray()), "vgg.onnx", ParallelExecutor.SEQUENTIAL);
    }

    /** The model with its graph changed by edit. */
    private static Onnx.ModelProto edited(UnaryOperator<Onnx.GraphProto.Builder> edit) throws IOException {
        Onnx.ModelProto m = model();
        return m.toBuilder().setGraph(edit.apply(m.getGraph().toBuilder())).build();
    }

    private static String refusal(Onnx.ModelProto m) {
        return assertThrows(OnnxFormatException.class, () -> read(m)).getMessage();
    }

    private static int nodeIndex(Onnx.GraphProto.Builder g, String op) {
        for (int i = 0; i < g.getNodeCount(); i++) if (g.getNode(i).getOpType().equals(op)) return i;
        throw new AssertionError("no " + op);
    }

    @Test
    void importsAsOneAdaptivePool() throws IOException {
        Sequential m = read(model());
        int pools = 0;
        for (Layer l : m.layers()) {
            if (l instanceof AdaptiveAvgPool2d p) {
                pools++;
                assertEquals(7, p.outHeight());
                assertEquals(7, p.outWidth());
                assertEquals(8, p.inputShape().dim(1));
            }
        }
        assertEquals(1, pools, m.summary());
    }

    @Test
    void anIndexOutsideTheAdaptiveWindowsIsRefused() throws IOException {
        String e = refusal(edited(g -> {
            String name = g.getNode(nodeIndex(g, "GatherND")).getInput(1);
            for (int i = 0; i < g.getInitializerCount(); i++) {
                Onnx.TensorProto t = g.getInitializer(i);
                if (!t.getName().equals(name)) continue;
                ByteBuffer b = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
                b.putLong(8 * 3, b.getLong(8 * 3) + 1); // the column of the second cell of window (0, 0)
                g.setInitializer(i, t.toBuilder().setRawData(ByteString.copyFrom(b.array())));
            }
            return g;
        }));
        assertTrue(e.contains("(GatherND) is supported only as the dynamo exporter's AdaptiveAvgPool2d") && e.contains("index [0, 0, 0, 1]"), e);
    }

    @Test
    void aMeanOverOtherAxesIsRefused() throws IOException {
        String e = refusal(edited(g -> {
            int k = nodeIndex(g, "ReduceMean");
            String axes = g.getNode(k).getInput(1);
            for (int i = 0; i < g.getInitializerCount(); i++) {
                if (!g.getInitializer(i).getName().equals(axes)) continue;
                ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-2).putLong(-1);
                g.setInitializer(i, g.getInitializer(i).toBuilder().setRawData(ByteString.copyFrom(b.array())));
            }
            return g;
        }));
        assertTrue(e.contains("(GatherND)") && e.contains("ReduceMean(axes [-3, -1], keepdims 0)"), e);
    }

    @Test
    void indicesWrittenForAnotherMapSizeAreRefused() throws IOException {
        String e = refusal(edited(g -> { // a 36×36 input: a 9×9 map, but the indices cover 8×8
            Onnx.ValueInfoProto.Builder in = g.getInput(0).toBuilder();
            Onnx.TensorShapeProto.Builder shape = in.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
            shape.getDimBuilder(2).setDimValue(36);
            shape.getDimBuilder(3).setDimValue(36);
            return g.setInput(0, in);
        }));
        assertTrue(e.contains("AdaptiveAvgPool2d(7×7): its gather indices were written for a 8×8 map, but it receives [12, 9, 9]"), e);
    }

    /** VGG's pool on a 10×10 map (tiny-vgg at 3×40×40, windows of 2 and 3): the masked form is refused, naming the GatherND and why. */
    @Test
    void theMaskedFormOfUnequalWindowsIsRefusedNamingIt() throws IOException {
        Onnx.ModelProto m = Onnx.ModelProto.parseFrom(Files.readAllBytes(Path.of("src/test/resources/torchvision/tiny-vgg-unequal-dynamo.onnx")));
        String e = refusal(m);
        assertTrue(e.contains("(GatherND): the dynamo exporter's AdaptiveAvgPool2d((7, 7)) on a map whose windows differ in size")
                && e.contains("up to 3 and 3 cells") && e.contains("Where → Gather / Add → Div"), e);
    }
}
