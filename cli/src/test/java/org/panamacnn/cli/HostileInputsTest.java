package org.panamacnn.cli;

import org.panamacnn.io.ModelDefinition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.io.Checkpoint;
import org.panamacnn.io.ClassNames;
import org.panamacnn.io.ModelFile;
import org.panamacnn.io.SafeTensors;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.proto.Onnx;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/**
 * Every public entry point of the command on a corpus of hostile inputs — the files kept in
 * src/test/resources/hostile/ and the larger or binary ones made here — asserting on the shape
 * of what the user sees: a non-zero exit, one line "panama-cnn: ..." naming the file or the
 * argument and the problem; no stack trace, no "null", no bare JDK message.
 */
class HostileInputsTest {
    @TempDir
    static Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    @BeforeAll
    static void bundledSample() {
        System.setProperty("panamacnn.home", "..");
    }

    @AfterAll
    static void forget() {
        System.clearProperty("panamacnn.home");
    }

    /** Runs a command line that must fail; returns its one line of error after checking its shape. */
    private String refused(String... args) {
        out.reset();
        err.reset();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        String cmd = String.join(" ", args);
        assertNotEquals(0, status, cmd + " succeeded: " + out);
        assertNotEquals(3, status, cmd + " is an internal error: " + e);
        assertTrue(e.startsWith("panama-cnn: ") && e.endsWith("\n") && e.indexOf('\n') == e.length() - 1, cmd + " → " + e);
        for (String vague : List.of("panama-cnn: null", ": null", "For input string", "Input length =", "\tat ", "Exception:", "Error:")) {
            assertFalse(e.contains(vague), cmd + " → " + e);
        }
        System.out.println("HOSTILE " + args[0] + " | " + e.strip());  // the surface × message table, in the test report
        return e.strip();
    }

    private static void assertNames(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "'" + p + "' not in: " + message);
    }

    @Test
    void modelDefinitionsOfTheCorpus() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/hostile/model-defs"))) {
            files = s.sorted().toList();
        }
        // each file of the corpus, and the problem its error must name
        Map<String, String> problems = Map.ofEntries(Map.entry("bad-number.json", "bad number in 'out=abc'"),
                Map.entry("dense-before-flatten.json", "put a Flatten before it"), Map.entry("empty.json", "not valid JSON"),
                Map.entry("graph-merge-without-inputs.json", "add needs its inputs named"),
                Map.entry("graph-reads-later-node.json", "reads 'b', which is neither 'input' nor a node listed before it"),
                Map.entry("huge-dense.json", "more than 2^31 elements"), Map.entry("json-nested-100.json", "nesting depth"),
                Map.entry("not-json.json", "not valid JSON"), Map.entry("not-utf8.json", "not UTF-8 text (bad byte at offset 17)"),
                Map.entry("residual-nested-9.json", "nest deeper than 8 levels"), Map.entry("unknown-layer.json", "unknown layer \"swish\""),
                Map.entry("zero-kernel.json", "Conv2d: kernel 0 must be at least 1"));
        assertEquals(problems.keySet(), new java.util.TreeSet<>(files.stream().map(f -> f.getFileName().toString()).toList()));
        for (Path f : files) {
            String e = refused("train", "--model-def", f.toString(), "--epochs", "1");
            assertNames(e, f.toString(), problems.get(f.getFileName().toString()));
        }
    }

    @Test
    void generatedModelDefinitions() throws IOException {
        // 10^4-deep nesting in a spec, and 10^4-deep JSON: depth-bounded, named, no stack overflow
        Path nested = dir.resolve("nested-10000.json");
        Files.writeString(nested, "{\"layers\": [\"" + "residual main=[".repeat(10_000) + "relu" + "]".repeat(10_000) + "\"]}");
        assertNames(refused("train", "--model-def", nested.toString()), nested.toString(), "nest deeper than 8 levels");
        Path deepJson = dir.resolve("json-10000.json");
        Files.writeString(deepJson, "[".repeat(10_000) + "]".repeat(10_000));
        assertNames(refused("train", "--model-def", deepJson.toString()), deepJson.toString(), "not valid JSON");
        // 10,000 ReLU nodes: no parameters, gigabytes of activations at batch 64
        StringBuilder json = new StringBuilder("{\"graph\": [");
        for (int i = 0; i < 10_000; i++) json.append(i == 0 ? "" : ", ").append("{\"name\": \"r").append(i).append("\", \"layer\": \"relu\"}");
        json.append(", {\"name\": \"f\", \"layer\": \"flatten\"}, {\"name\": \"d\", \"layer\": \"dense out=classes\"}]}");
        Path relus = dir.resolve("relus.json");
        Files.writeString(relus, json);
        assertNames(refused("train", "--model-def", relus.toString()), "batch size 64", "activation values and", "gradient values per image", "memory budget");
        Path big = dir.resolve("big.json");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        assertNames(refused("train", "--model-def", big.toString()), big.toString(), "larger than");
    }

    @Test
    void arguments() {
        assertNames(refused("train", "--batch", "1000000000"), "batch size 1000000000", "memory budget");
        assertNames(refused("train", "--threads", "2147483647", "--data", dir.resolve("none").toString()), dir.resolve("none").toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--threads 2147483647 is more than 4 × the"), out.toString());
        assertNames(refused("train", "--batch", "abc"), "--batch", "'abc'");
        assertNames(refused("train", "--lr", "NaN"), "--lr");
        assertNames(refused("train", "--image-size", "99999"), "--image-size");
        assertNames(refused("eval", "--model", dir.resolve("missing.safetensors").toString()), dir.resolve("missing.safetensors").toString(),
                "file not found");
        assertNames(refused("predict", "--model", dir.resolve("missing.onnx").toString(), "x.png"), "missing.onnx");
    }

    private static void pngs(Path folder, int count, int side) throws IOException {
        Files.createDirectories(folder);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < count; i++) ImageIO.write(img, "png", folder.resolve(i + ".png").toFile());
    }

    @Test
    void dataSets() throws IOException {
        Path folder = dir.resolve("folder");
        pngs(folder.resolve("cat,dog"), 30, 4);
        pngs(folder.resolve("bird"), 30, 4);
        assertNames(refused("train", "--data", folder.toString(), "--image-size", "4096", "--channels", "3"), folder.toString(),
                "images decoded at 3×4096×4096", "more than one array holds");
        Path cifar = dir.resolve("cifar");
        Files.createDirectories(cifar);
        Files.write(cifar.resolve("data_batch_1.bin"), new byte[3073]);
        Files.write(cifar.resolve("test_batch.bin"), new byte[3073]);
        Path meta = cifar.resolve("batches.meta.txt");
        Files.write(meta, new byte[] {'a', '\n', (byte) 0xc3, '\n'});
        assertNames(refused("train", "--data", cifar.toString()), meta.toString(), "not UTF-8");
        try (RandomAccessFile f = new RandomAccessFile(meta.toFile(), "rw")) {
            f.setLength(3L << 30);
        }
        assertNames(refused("train", "--data", cifar.toString()), meta.toString(), "larger than 65,536 bytes");
        Files.write(cifar.resolve("data_batch_1.bin"), new byte[3000]);
        assertNames(refused("train", "--data", cifar.toString()), "data_batch_1.bin", "3073-byte");
    }

    private static Sequential defaultCnn() {
        Sequential m = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        m.initialize(7);
        return m;
    }

    /** A model file written consistently, then one metadata value changed behind the writer's back. */
    private static Path tampered(String name, Path source, String key, String value) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(source);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put(key, value);
        Path file = dir.resolve(name);
        SafeTensors.write(file, new ArrayList<>(c.tensors().values()), meta);
        return file;
    }

    @Test
    void modelFilesAndCheckpoints() throws IOException {
        Path good = dir.resolve("good.safetensors");
        ModelFile.save(good, defaultCnn(), Map.of());
        Path png = dir.resolve("one.png");
        ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", png.toFile());
        List<String> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) twenty.add("c" + i);
        Path classes = tampered("classes.safetensors", good, "classes", String.join(",", twenty));
        assertNames(refused("predict", "--model", classes.toString(), png.toString()), classes.toString(), "20 class names", "10 outputs");
        Path norm = tampered("norm.safetensors", good, "normalization", "0.5,0.5,0.5;0.2,0.2,0.2");
        assertNames(refused("eval", "--model", norm.toString()), norm.toString(), "normalises 3 channels", "1-channel");
        Path shape = tampered("shape.safetensors", good, "input_shape", "1,x,28");
        assertNames(refused("predict", "--model", shape.toString(), png.toString()), shape.toString(), "input_shape");
        Path fraction = tampered("fraction.safetensors", good, "test_fraction", "abc");
        assertNames(refused("eval", "--model", fraction.toString()), fraction.toString(), "test_fraction", "\"abc\"");
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3});
        assertNames(refused("predict", "--model", junk.toString(), png.toString()), junk.toString());

        Path ck = dir.resolve("ck.safetensors");
        Map<String, String> run = new LinkedHashMap<>(ResumeCheck.settings(64, 0.01f, "constant", 0, java.util.List.of()));
        run.put("classes", ClassNames.toMetadata(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")));
        Checkpoint.save(ck, defaultCnn(), new Sgd(0.01f, 0.9f, 0, false), 1, 42, run);
        Path counter = tampered("counter.safetensors", ck, "optimizer_steps", "abc");
        assertNames(refused("train", "--resume", counter.toString(), "--epochs", "2"), counter.toString(), "optimizer_steps", "\"abc\"");
        String e = refused("train", "--resume", ck.toString(), "--epochs", "2", "--batch", "128", "--lr", "0.1", "--schedule", "cosine");
        assertNames(e, ck.toString(), "--batch: 64 in the checkpoint, 128 now", "--lr: 0.01 in the checkpoint, 0.1 now",
                "--schedule: constant in the checkpoint, cosine now", "--override");
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"layers\": [\"flatten\", \"dense out=classes\"]}");
        assertNames(refused("train", "--resume", ck.toString(), "--epochs", "2", "--model-def", other.toString()),
                "--model-def " + other, "another architecture");
        Path cifar = dir.resolve("cifar-shape");
        Files.createDirectories(cifar);
        Files.write(cifar.resolve("data_batch_1.bin"), new byte[3073]);
        Files.write(cifar.resolve("test_batch.bin"), new byte[3073]);
        assertNames(refused("train", "--resume", ck.toString(), "--epochs", "2", "--data", cifar.toString()), ck.toString(),
                "[1, 28, 28]", "[3, 32, 32]");
    }

    private static Onnx.ValueInfoProto value(String name, long... dims) {
        Onnx.TensorShapeProto.Builder s = Onnx.TensorShapeProto.newBuilder().addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : dims) s.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))).build();
    }

    private static Onnx.NodeProto node(String op, String out, String... in) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(out + "_" + op).addOutput(out);
        for (String i : in) n.addInput(i);
        return n.build();
    }

    private static Path onnx(String name, Onnx.GraphProto.Builder g, long opset) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, Onnx.ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build().toByteArray());
        return file;
    }

    private static Onnx.GraphProto.Builder relu() {
        return Onnx.GraphProto.newBuilder().addInput(value("x", 4)).addOutput(value("y", 4)).addNode(node("Relu", "y", "x"));
    }

    @Test
    void onnxFiles() throws IOException {
        Path out = dir.resolve("converted.safetensors");
        for (long opset : new long[] {1, 9999}) {
            Path f = onnx("opset" + opset + ".onnx", relu(), opset);
            assertNames(refused("convert", f.toString(), out.toString()), f.toString(), "opset " + opset);
        }
        Path custom = onnx("custom.onnx", Onnx.GraphProto.newBuilder().addInput(value("x", 4)).addOutput(value("y", 4))
                .addNode(node("Relu", "y", "x").toBuilder().setDomain("com.example.custom")), 17);
        assertNames(refused("convert", custom.toString(), out.toString()), custom.toString(), "com.example.custom::Relu");
        ByteBuffer w = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(0).putFloat(0).putFloat(1);
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(5).putLong(7);
        Path int64Bias = onnx("int64-bias.onnx", Onnx.GraphProto.newBuilder().addInput(value("x", 2)).addOutput(value("y", 2))
                .addInitializer(Onnx.TensorProto.newBuilder().setName("W").setDataType(1).addDims(2).addDims(2).setRawData(ByteString.copyFrom(w.array())))
                .addInitializer(Onnx.TensorProto.newBuilder().setName("b").setDataType(7).addDims(2).setRawData(ByteString.copyFrom(b.array())))
                .addNode(node("MatMul", "z", "x", "W")).addNode(node("Add", "y", "z", "b")), 17);
        assertNames(refused("convert", int64Bias.toString(), out.toString()), int64Bias.toString(), "INT64");
        Path stride0 = onnx("stride0.onnx", Onnx.GraphProto.newBuilder().addInput(value("x", 1, 4, 4)).addOutput(value("y", 1, 4, 4))
                .addInitializer(Onnx.TensorProto.newBuilder().setName("w").setDataType(1).addDims(1).addDims(1).addDims(1).addDims(1)
                        .setRawData(ByteString.copyFrom(new byte[4])))
                .addNode(node("Conv", "y", "x", "w").toBuilder().addAttribute(Onnx.AttributeProto.newBuilder().setName("strides").addInts(0).addInts(0))), 17);
        assertNames(refused("convert", stride0.toString(), out.toString()), stride0.toString(), "strides [0, 0]");
        Path garbage = dir.resolve("garbage.onnx");
        Files.write(garbage, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
        assertNames(refused("convert", garbage.toString(), out.toString()), garbage.toString(), "not a valid ONNX");
        Path classes = onnx("ok.onnx", relu(), 17);
        assertNames(refused("convert", classes.toString(), out.toString(), "--classes", "a,b,c"), out.toString(), "3 class names", "4 outputs");
        assertFalse(Files.exists(out));
    }

    @Test
    void residualBlocksNestedNineDeepConvertToAFileThatLoads() throws IOException {
        // convert exited 0 and wrote a file predict refused: now what convert writes, predict reads
        int depth = 9;
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().addInput(value("x", 4)).addOutput(value("r0", 4));
        for (int i = 0; i < depth; i++) g.addNode(node("Relu", "t" + (i + 1), i == 0 ? "x" : "t" + i));
        g.addNode(node("Relu", "r" + depth, "t" + depth));
        for (int i = depth - 1; i >= 0; i--) g.addNode(node("Add", "r" + i, i == 0 ? "x" : "t" + i, "r" + (i + 1)));
        Path f = onnx("nested9.onnx", g, 17), converted = dir.resolve("nested9.safetensors");
        assertEquals(0, Main.run(new String[] {"convert", f.toString(), converted.toString()}, new PrintStream(out), new PrintStream(err)), err.toString());
        try (var p = org.panamacnn.infer.Predictor.load(converted)) {
            assertEquals(4, p.probabilities(new float[] {1, 2, 3, 4}).length);
        }
    }
}
