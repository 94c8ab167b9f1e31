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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.panamacnn.nn.ChannelAffine;
import org.panamacnn.nn.GroupNorm;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.LayerNorm2d;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.proto.Onnx;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Tensor;

/**
 * The norms with per-sample statistics through ONNX: tiny-norms from both exporters imports each norm as
 * one layer (ConvNeXt's LayerNorm2d from Transpose → LayerNormalization → Transpose, nn.GroupNorm from
 * Reshape → InstanceNormalization → Reshape with its Mul / Add folded, nn.LayerNorm([C, H, W]),
 * nn.InstanceNorm2d); the same files with one link changed are refused, naming the node and what differs;
 * GroupNormalization (opset 18's scale per group, 21's per channel) against core's layer.
 */
class NormPatternTest {
    private static Onnx.ModelProto model(String exporter) throws IOException {
        return Onnx.ModelProto.parseFrom(Files.readAllBytes(Path.of("src/test/resources/torchvision/tiny-norms-" + exporter + ".onnx")));
    }

    private static Sequential read(Onnx.ModelProto m) throws IOException {
        return OnnxImport.read(new ByteArrayInputStream(m.toByteArray()), "norms.onnx", ParallelExecutor.SEQUENTIAL);
    }

    private static Onnx.ModelProto edited(String exporter, UnaryOperator<Onnx.GraphProto.Builder> edit) throws IOException {
        Onnx.ModelProto m = model(exporter);
        return m.toBuilder().setGraph(edit.apply(m.getGraph().toBuilder())).build();
    }

    private static String refusal(Onnx.ModelProto m) {
        return assertThrows(OnnxFormatException.class, () -> read(m)).getMessage();
    }

    private static int nodeIndex(Onnx.GraphProto.Builder g, String op, int nth) {
        for (int i = 0, seen = 0; i < g.getNodeCount(); i++) if (g.getNode(i).getOpType().equals(op) && seen++ == nth) return i;
        throw new AssertionError("no " + op + " #" + nth);
    }

    /** Node k with attribute `name` set to ints. */
    private static Onnx.GraphProto.Builder setInts(Onnx.GraphProto.Builder g, int k, String name, long... ints) {
        Onnx.NodeProto.Builder n = g.getNode(k).toBuilder();
        for (int i = 0; i < n.getAttributeCount(); i++) {
            if (n.getAttribute(i).getName().equals(name)) {
                boolean list = n.getAttribute(i).getIntsCount() > 0;
                Onnx.AttributeProto.Builder a = n.getAttribute(i).toBuilder().clearInts();
                if (!list) a.setI(ints[0]);
                else for (long v : ints) a.addInts(v);
                n.setAttribute(i, a);
            }
        }
        return g.setNode(k, n);
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy", "dynamo"})
    void eachNormImportsAsOneLayer(String exporter) throws IOException {
        Sequential m = read(model(exporter));
        List<String> norms = new ArrayList<>();
        for (Layer l : m.layers()) {
            if (l instanceof GroupNorm || l instanceof LayerNorm2d) norms.add(l.describe());
            assertTrue(!(l instanceof ChannelAffine), exporter + ": a group norm's Mul / Add left as " + l.describe() + " in " + m.summary());
        }
        assertEquals(List.of("LayerNorm2d(8, eps 1.0E-6)", "GroupNorm(4, 16)", "GroupNorm(2, 16)", "GroupNorm(1, 12)", "LayerNorm(12, 8, 8)",
                "GroupNorm(12, 12)"), norms, exporter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy", "dynamo"})
    void aLayerNorm2dWithAnotherPermIsRefused(String exporter) throws IOException {
        String e = refusal(edited(exporter, g -> setInts(g, nodeIndex(g, "Transpose", 0), "perm", 0, 3, 2, 1)));
        assertTrue(e.contains("(LayerNormalization): LayerNormalization over the last axis is supported only as ConvNeXt's LayerNorm2d")
                && e.contains("its input is not Transpose(x, perm [0, 2, 3, 1]) (found Transpose with perm [0, 3, 2, 1])"), e);
        e = refusal(edited(exporter, g -> setInts(g, nodeIndex(g, "Transpose", 1), "perm", 0, 2, 3, 1)));
        assertTrue(e.contains("it is not followed by Transpose(perm [0, 3, 1, 2]) alone"), e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"legacy", "dynamo"})
    void aLayerNormOverOtherAxesIsRefusedNamingTheAttribute(String exporter) throws IOException {
        String e = refusal(edited(exporter, g -> setInts(g, nodeIndex(g, "LayerNormalization", 1), "axis", 2)));
        assertTrue(e.contains("(LayerNormalization): attribute axis 2 is not supported"), e);
    }

    @Test
    void aGroupNormWithScaledInstanceNormIsRefused() throws IOException {
        String e = refusal(edited("dynamo", g -> {
            String scale = g.getNode(nodeIndex(g, "InstanceNormalization", 0)).getInput(1);
            for (int i = 0; i < g.getInitializerCount(); i++) {
                if (!g.getInitializer(i).getName().equals(scale)) continue;
                ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(2f).putFloat(1f).putFloat(1f);
                g.setInitializer(i, g.getInitializer(i).toBuilder().setRawData(ByteString.copyFrom(b.array())));
            }
            return g;
        }));
        assertTrue(e.contains("(InstanceNormalization): InstanceNormalization of a reshaped tensor is supported only as nn.GroupNorm's export")
                && e.contains("scale and bias are not constants of 4 ones and zeros"), e);
    }

    private static Onnx.TensorProto floats(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(1).setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    private static Onnx.ValueInfoProto value(String name, long... dims) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder().addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) s.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    /** x [6, 5, 3] → GroupNormalization(num_groups 3, eps 1e-3) at the opset given, scale and bias of `perScale` values. */
    private static Sequential groupNormalization(int opset, float[] scale, float[] bias) throws IOException {
        Onnx.NodeProto n = Onnx.NodeProto.newBuilder().setOpType("GroupNormalization").setName("gn").addInput("x").addInput("s").addInput("b").addOutput("y")
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("num_groups").setI(3))
                .addAttribute(Onnx.AttributeProto.newBuilder().setName("epsilon").setF(1e-3f)).build();
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 6, 5, 3)).addOutput(value("y", 6, 5, 3)).addNode(n)
                .addInitializer(floats("s", scale, scale.length)).addInitializer(floats("b", bias, bias.length));
        byte[] bytes = Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build().toByteArray();
        return OnnxImport.read(new ByteArrayInputStream(bytes), "gn.onnx", ParallelExecutor.SEQUENTIAL);
    }

    @Test
    void groupNormalizationPerGroupBeforeOpset21AndPerChannelFrom21() throws IOException {
        Random rnd = new Random(7);
        float[] perGroup = {0.5f, 1.5f, -1f}, shiftGroup = {0.1f, -0.2f, 0.3f}, perChannel = new float[6], shiftChannel = new float[6];
        for (int c = 0; c < 6; c++) {
            perChannel[c] = perGroup[c / 2];
            shiftChannel[c] = shiftGroup[c / 2];
        }
        float[] x = new float[2 * 6 * 5 * 3];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        // core's layer, which SampleNormTest holds against the oracle
        GroupNorm reference = GroupNorm.groupNorm(3, 1e-3f);
        reference.build(org.panamacnn.tensor.Shape.of(6, 5, 3));
        System.arraycopy(perChannel, 0, reference.weight().value().data(), 0, 6);
        System.arraycopy(shiftChannel, 0, reference.bias().value().data(), 0, 6);
        float[] expected = reference.forward(new Tensor(org.panamacnn.tensor.Shape.of(6, 5, 3).withBatch(2), x.clone()), false).toArray();
        for (Sequential m : List.of(groupNormalization(18, perGroup, shiftGroup), groupNormalization(21, perChannel, shiftChannel))) {
            float[] y = m.forward(new Tensor(m.inputShape().withBatch(2), x.clone()), false).data();
            for (int i = 0; i < expected.length; i++) assertEquals(expected[i], y[i], 0f, m.summary() + " element " + i);
        }
        String e = assertThrows(OnnxFormatException.class, () -> groupNormalization(21, perGroup, shiftGroup)).getMessage();
        assertTrue(e.contains("'gn' (GroupNormalization)") && e.contains("weight has 3 values for 6 channels"), e);
    }
}
