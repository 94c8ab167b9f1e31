package org.panamacnn.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.panamacnn.infer.Predictor;
import org.panamacnn.infer.Workspace;

/**
 * Inference of torchvision's real models at 3×224×224 (random weights, 1000 classes), batch 1 on
 * one intra-op thread unless {@code -p batch=} / {@code -p threads=} say otherwise, panama-cnn's
 * {@link Predictor} against ONNX Runtime on the same ONNX file, in the same run: bench/models/torchvision/MODEL.onnx with MODEL.input.f32 (one image) and
 * MODEL.logits.f32 (PyTorch's logits), made by scripts/export_torchvision.py (the command is in
 * docs/benchmarks.md; the files are 5–100 MB and not in the repository). Before timing, both must
 * give PyTorch's logits within 1e-4 × max(1, largest |logit|). The call returns raw logits (no
 * softmax) on both sides at batch 1; a batch (the image repeated) returns probabilities from
 * panama-cnn (softmax over 1000 classes: microseconds of a call of seconds) and logits from ONNX
 * Runtime. Sample mode: median, p99 per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx2g"})
public class TorchvisionInferenceBenchmark {
    /** How the files are made (docs/benchmarks.md), for the message when they are missing. */
    static final String EXPORT = "for m in resnet18 resnet50 mobilenet_v2 efficientnet_b0; do python3 scripts/export_torchvision.py $m "
            + "--size 224 --exporter legacy --classes 1000 --count 1 --out bench/models/torchvision/$m; done";

    @Param({"resnet18", "resnet50", "mobilenet_v2", "efficientnet_b0"})
    public String model;
    @Param({"panama", "ort"})
    public String impl;
    /** Intra-op threads of both runtimes. */
    @Param({"1"})
    public int threads;
    /** Images per call (the one image repeated). */
    @Param({"1"})
    public int batch;

    Predictor predictor;
    OrtEnvironment env;
    OrtSession session;
    OnnxTensor tensor;
    Map<String, OnnxTensor> inputs;
    float[] image, images, logits, outputs;
    Workspace workspace;

    /** bench/models/torchvision/MODEL with the given suffix; a clear error naming the export command when absent. */
    static Path file(String model, String suffix) {
        Path f = InferenceBenchmark.models().resolve("torchvision").resolve(model + suffix);
        if (!Files.isRegularFile(f)) throw new IllegalStateException(f + " is missing; make the files with (from the repository): " + EXPORT);
        return f;
    }

    static float[] floats(Path file) throws IOException {
        FloatBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }

    @Setup(Level.Trial)
    public void setup() throws IOException, OrtException {
        Path onnx = file(model, ".onnx");
        image = floats(file(model, ".input.f32"));
        float[] torch = floats(file(model, ".logits.f32"));
        Predictor panama = Predictor.load(onnx, threads);
        if (image.length != panama.inputShape().size()) {
            throw new IllegalStateException(model + ".input.f32 holds " + image.length + " floats, the model takes " + panama.inputShape());
        }
        logits = new float[panama.classes()];
        images = new float[batch * image.length];
        for (int n = 0; n < batch; n++) System.arraycopy(image, 0, images, n * image.length, image.length);
        outputs = new float[batch * panama.classes()];
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(onnx.toString(), options);
        FloatBuffer buffer = ByteBuffer.allocateDirect(image.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        buffer.put(image).clear();
        tensor = OnnxTensor.createTensor(env, buffer, new long[] {1, 3, 224, 224});
        inputs = Map.of(session.getInputNames().iterator().next(), tensor);
        check("panama-cnn", panama.logits(image), torch);
        check("ONNX Runtime", ort().clone(), torch);
        if (batch > 1) {
            tensor.close();
            FloatBuffer all = ByteBuffer.allocateDirect(images.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            all.put(images).clear();
            tensor = OnnxTensor.createTensor(env, all, new long[] {batch, 3, 224, 224});
            inputs = Map.of(session.getInputNames().iterator().next(), tensor);
            logits = new float[batch * panama.classes()];
            workspace = panama.newWorkspace(batch);
        }
        if (impl.equals("panama")) predictor = panama;
        else panama.close();
    }

    /** ours within 1e-4 × max(1, largest |logit|) of PyTorch's. */
    private void check(String who, float[] ours, float[] torch) {
        if (ours.length != torch.length) throw new IllegalStateException(who + " gives " + ours.length + " logits, PyTorch " + torch.length);
        double scale = 1, diff = 0;
        for (int k = 0; k < torch.length; k++) {
            scale = Math.max(scale, Math.abs(torch[k]));
            diff = Math.max(diff, Math.abs(ours[k] - torch[k]));
        }
        if (!(diff <= 1e-4 * scale)) throw new IllegalStateException(who + " differs from PyTorch on " + model + " by " + diff + " (logits up to " + scale + ")");
    }

    private float[] ort() throws OrtException {
        try (OrtSession.Result r = session.run(inputs)) {
            ((OnnxTensor) r.get(0)).getFloatBuffer().get(logits);
        }
        return logits;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        if (predictor != null) predictor.close();
        tensor.close();
        session.close();
    }

    @Benchmark
    public float[] predict() throws OrtException {
        if (predictor == null) return ort();
        if (batch > 1) {
            predictor.probabilities(images, batch, outputs, workspace);
            return outputs;
        }
        predictor.logits(image, logits);
        return logits;
    }
}
