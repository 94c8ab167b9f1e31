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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.data.Dataset;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.infer.Predictor;
import org.panamacnn.io.ModelFile;
import org.panamacnn.nn.Concat;
import org.panamacnn.nn.Graph;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.proto.Onnx;
import org.panamacnn.parallel.ParallelExecutor;

/**
 * ONNX files exported by PyTorch (scripts/export_onnx.py) from panama-cnn model files: imported,
 * they must give the same probabilities as the model file they came from.
 */
class OnnxImportTest {
    @TempDir
    Path dir;

    private static Dataset test() throws IOException {
        return FashionMnist.load(Path.of("..", "data", "fashion-mnist-sample")).test().subset(0, 200);
    }

    private static void samePredictions(Path onnx, Path safetensors) throws IOException {
        Sequential imported = OnnxImport.load(onnx, ParallelExecutor.SEQUENTIAL);
        Sequential original = ModelFile.load(safetensors, ParallelExecutor.SEQUENTIAL).model();
        // (PyTorch's exporter folds batch norm into the convolutions, so the counts may differ)
        assertTrue(imported.parameterCount() <= original.parameterCount());
        Dataset d = test();
        float[] image = new float[d.sampleSize()];
        double worst = 0;
        try (Predictor a = new Predictor(imported); Predictor b = new Predictor(original)) {
            for (int i = 0; i < d.size(); i++) {
                d.copySample(i, image, 0);
                float[] pa = a.probabilities(image), pb = b.probabilities(image);
                for (int k = 0; k < pa.length; k++) worst = Math.max(worst, Math.abs(pa[k] - pb[k]));
            }
        }
        assertTrue(worst < 1e-5, "largest probability difference " + worst);
    }

    @Test
    void theDefaultNetworkFromPyTorchGivesTheSameProbabilities() throws IOException {
        samePredictions(Path.of("..", "bench", "models", "default-cnn.onnx"), Path.of("..", "bench", "models", "default-cnn.safetensors"));
    }

    @Test
    void aResidualNetworkWithBatchNormFromPyTorchGivesTheSameProbabilities() throws IOException {
        // conv, batch norm, relu, max-pool, two residual blocks (identity and 1x1-conv shortcut),
        // leaky relu, average pool, dropout, global average pool, flatten, dense
        samePredictions(Path.of("src/test/resources/tiny-residual.onnx"), Path.of("src/test/resources/tiny-residual.safetensors"));
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

    private static Onnx.NodeProto node(String op, String name, String[] in, String out, Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
        for (String i : in) n.addInput(i);
        for (Onnx.AttributeProto a : attrs) n.addAttribute(a);
        return n.build();
    }

    private static Sequential read(Onnx.GraphProto.Builder g) throws IOException {
        byte[] bytes = Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g).build().toByteArray();
        return OnnxImport.read(new ByteArrayInputStream(bytes), "test.onnx", ParallelExecutor.SEQUENTIAL);
    }

    @Test
    void gemmWithoutTransposeAndMatMulPlusAddAreDenseLayers() throws IOException {
        // x[3] -> Gemm(B [3,2] not transposed, alpha 2, C) -> MatMul(W [2,2]) + Add(b) -> Softmax
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder()
                .addInput(value("x", 3)).addOutput(value("p", 2))
                .addInitializer(floats("B", new float[] {1, 2, 3, 4, 5, 6}, 3, 2))
                .addInitializer(floats("C", new float[] {0.5f, -0.5f}, 2))
                .addInitializer(floats("W", new float[] {1, 0, 0, -1}, 2, 2))
                .addInitializer(floats("b", new float[] {10, 20}, 2))
                .addNode(node("Gemm", "g", new String[] {"x", "B", "C"}, "y", Onnx.AttributeProto.newBuilder().setName("alpha").setF(2).build()))
                .addNode(node("MatMul", "m", new String[] {"y", "W"}, "z"))
                .addNode(node("Add", "a", new String[] {"z", "b"}, "l"))
                .addNode(node("Softmax", "s", new String[] {"l"}, "p"));
        Sequential m = read(g);
        float[] logits = m.forward(new org.panamacnn.tensor.Tensor(org.panamacnn.tensor.Shape.of(1, 3), new float[] {1, 1, 1}), false).toArray();
        // y = 2·x·B + C = 2·[9, 12] + [0.5, -0.5] = [18.5, 23.5]; z = [18.5, -23.5] + [10, 20]
        assertEquals(28.5f, logits[0], 1e-5f);
        assertEquals(-3.5f, logits[1], 1e-5f);
    }

    @Test
    void whatCannotBeRunIsNamed() throws IOException {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 1, 4, 4)).addOutput(value("y", 1, 4, 4))
                .addNode(node("Erf", "erf1", new String[] {"x"}, "y"));
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> read(g));
        assertTrue(e.getMessage().startsWith("test.onnx: node 'erf1' (Erf) is not supported"), e.getMessage());
        Onnx.GraphProto.Builder cat = Onnx.GraphProto.newBuilder().addInput(value("x", 1, 4, 4)).addOutput(value("y", 1, 4, 8))
                .addNode(node("Relu", "r1", new String[] {"x"}, "a")).addNode(node("Relu", "r2", new String[] {"x"}, "b"))
                .addNode(node("Relu", "r3", new String[] {"x"}, "c"))
                .addNode(node("Concat", "width", new String[] {"a", "b"}, "y", Onnx.AttributeProto.newBuilder().setName("axis").setI(3).build()));
        e = assertThrows(OnnxFormatException.class, () -> read(cat));
        assertTrue(e.getMessage().contains("'width' (Concat): only a Concat on axis 1"), e.getMessage());
        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
        e = assertThrows(OnnxFormatException.class, () -> OnnxImport.load(junk, ParallelExecutor.SEQUENTIAL));
        assertTrue(e.getMessage().contains("not a valid ONNX"), e.getMessage());
        Onnx.GraphProto.Builder conv = Onnx.GraphProto.newBuilder().addInput(value("x", 1, 4, 4)).addOutput(value("y", 1, 4, 4))
                .addInitializer(floats("w", new float[9], 1, 1, 3, 3))
                .addNode(node("Conv", "c", new String[] {"x", "w"}, "y", Onnx.AttributeProto.newBuilder().setName("group").setI(2).build()));
        e = assertThrows(OnnxFormatException.class, () -> read(conv));
        assertTrue(e.getMessage().contains("'c' (Conv): group 2 does not divide the 1 output channels"), e.getMessage());
        Onnx.GraphProto.Builder lying = Onnx.GraphProto.newBuilder().addInput(value("x", 4)).addOutput(value("y", 2))
                .addInitializer(Onnx.TensorProto.newBuilder().setName("B").setDataType(1).addDims(4).addDims(1 << 30).setRawData(ByteString.copyFrom(new byte[8])))
                .addNode(node("Gemm", "g", new String[] {"x", "B"}, "y"));
        e = assertThrows(OnnxFormatException.class, () -> read(lying));
        assertTrue(e.getMessage().contains("too large") || e.getMessage().contains("holds 8 bytes"), e.getMessage());
    }

    @Test
    void batchNormalizationWithItsOwnEpsilonFollowsTheFormula() throws IOException {
        float[] scale = {2, 0.5f}, bias = {1, -1}, mean = {0.5f, -2}, var = {4, 0.25f};
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 2, 1, 2)).addOutput(value("y", 2, 1, 2))
                .addInitializer(floats("s", scale, 2)).addInitializer(floats("b", bias, 2))
                .addInitializer(floats("m", mean, 2)).addInitializer(floats("v", var, 2))
                .addNode(node("BatchNormalization", "bn", new String[] {"x", "s", "b", "m", "v"}, "y",
                        Onnx.AttributeProto.newBuilder().setName("epsilon").setF(1e-3f).build()));
        Sequential m = read(g);
        float[] x = {1, 2, 3, 4};
        float[] y = m.forward(new org.panamacnn.tensor.Tensor(org.panamacnn.tensor.Shape.of(1, 2, 1, 2), x), false).toArray();
        for (int i = 0; i < 4; i++) {
            int c = i / 2;
            double want = scale[c] * (x[i] - mean[c]) / Math.sqrt(var[c] + 1e-3) + bias[c];
            assertEquals(want, y[i], 1e-5, "value " + i);
        }
    }

    @Test
    void predictorLoadOfTheOnnxFileAgreesWithPyTorchOnAThousandImages() throws IOException {
        agreesWithPyTorch("tiny-residual");
    }

    @Test
    void aBranchingGraphFromPyTorchImportsAsAGraphAndAgrees() throws IOException {
        // tiny-inception.json trained by the CLI, exported by scripts/export_onnx.py: one tensor read by
        // four nodes, a Concat of three, an Add; no chain of residual blocks describes it
        Sequential imported = OnnxImport.load(Path.of("src/test/resources/tiny-inception.onnx"), ParallelExecutor.SEQUENTIAL);
        Graph g = (Graph) imported.layers().getFirst();
        assertTrue(g.nodes().stream().anyMatch(n -> n.merge() instanceof Concat), g.spec());
        samePredictions(Path.of("src/test/resources/tiny-inception.onnx"), Path.of("src/test/resources/tiny-inception.safetensors"));
        agreesWithPyTorch("tiny-inception");
    }

    /**
     * Predictor.load of NAME.onnx against the probabilities PyTorch computed for the model it was
     * exported from (scripts/pytorch_roundtrip.py NAME.safetensors --count 1000 --save-probs
     * NAME.pytorch-probs.f32), on the sample's first 1,000 test images: same class, within 1e-4.
     */
    private static void agreesWithPyTorch(String name) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("src/test/resources/" + name + ".pytorch-probs.f32"));
        float[] torch = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(torch);
        Dataset d = FashionMnist.load(Path.of("..", "data", "fashion-mnist-sample")).test();
        float[] image = new float[d.sampleSize()];
        double worst = 0;
        int sameClass = 0;
        try (Predictor p = Predictor.load(Path.of("src/test/resources/" + name + ".onnx"))) {  // through the ServiceLoader
            int k = p.classes();
            assertEquals(1000 * k, torch.length);
            for (int i = 0; i < 1000; i++) {
                d.copySample(i, image, 0);
                float[] ours = p.probabilities(image);
                int a = 0, b = 0;
                for (int c = 0; c < k; c++) {
                    worst = Math.max(worst, Math.abs(ours[c] - torch[i * k + c]));
                    if (ours[c] > ours[a]) a = c;
                    if (torch[i * k + c] > torch[i * k + b]) b = c;
                }
                if (a == b) sameClass++;
            }
        }
        assertEquals(1000, sameClass, name);
        assertTrue(worst <= 1e-4, name + ": largest probability difference from PyTorch " + worst);
    }
}
