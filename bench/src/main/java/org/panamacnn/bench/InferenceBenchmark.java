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
import org.panamacnn.data.Dataset;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.infer.Predictor;
import org.panamacnn.simd.Activations;

/**
 * Inference of the default network (trained, bench/models/default-cnn.safetensors) against ONNX
 * Runtime on the same weights (bench/models/default-cnn.onnx, made from that file by
 * scripts/export_onnx.py), in the same run: batch 1 and 64, 1 and 2 intra-op threads; client
 * threads with JMH's -t (one shared Predictor / one shared OrtSession for all of them). Before
 * timing, both are run on the same real test images and must agree on every probability within
 * 1e-4. Sample mode: median, p99, p99.9 per call; add -prof gc for allocation per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx2g"})
public class InferenceBenchmark {
    @Param({"panama", "ort"})
    public String impl;
    @Param({"1", "64"})
    public int batch;
    @Param({"1", "2"})
    public int intraThreads;

    Predictor predictor;
    OrtEnvironment env;
    OrtSession session;
    Dataset test;
    int size, classes;

    /** bench/models, looked for from the working directory upwards. */
    static Path models() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path m = dir.resolve("bench/models");
            if (Files.isDirectory(m)) return m;
        }
        throw new IllegalStateException("bench/models not found from " + Path.of("").toAbsolutePath());
    }

    static Path sampleData() {
        return models().getParent().getParent().resolve("data/fashion-mnist-sample");
    }

    @Setup(Level.Trial)
    public void setup() throws IOException, OrtException {
        test = FashionMnist.load(sampleData()).test();
        size = test.sampleSize();
        Predictor panama = Predictor.load(models().resolve("default-cnn.safetensors"), intraThreads);
        classes = panama.classes();
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(intraThreads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(models().resolve("default-cnn.onnx").toString(), options);
        checkAgreement(panama);
        if (impl.equals("panama")) {
            predictor = panama;
        } else {
            panama.close();
        }
    }

    /** Both implementations on the same 256 test images: every probability within 1e-4. */
    private void checkAgreement(Predictor panama) throws OrtException {
        Call call = new Call();
        call.setup(this, 64);
        float[] ours = new float[64 * classes];
        for (int first = 0; first < 256; first += 64) {
            call.load(test, first);
            panama.probabilities(call.images, 64, ours);
            float[] theirs = call.ort(session, env, 64);
            for (int i = 0; i < ours.length; i++) {
                if (!(Math.abs(ours[i] - theirs[i]) <= 1e-4f)) {
                    throw new IllegalStateException("ONNX Runtime and panama-cnn disagree on image " + (first + i / classes)
                            + " class " + i % classes + ": " + theirs[i] + " vs " + ours[i]);
                }
            }
        }
        call.tearDown();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        if (predictor != null) predictor.close();
        session.close();
    }

    /** One client thread's arrays (and ORT's input tensor over a direct buffer, made once). */
    @State(Scope.Thread)
    public static class Call {
        float[] images, out, logits;
        FloatBuffer buffer;
        OnnxTensor tensor;
        Map<String, OnnxTensor> inputs;

        @Setup(Level.Trial)
        public void setup(InferenceBenchmark b) throws OrtException {
            setup(b, b.batch);
            load(b.test, (int) (Thread.currentThread().threadId() % 100) * 64);
        }

        void setup(InferenceBenchmark b, int batch) throws OrtException {
            images = new float[batch * b.size];
            out = new float[batch * b.classes];
            logits = new float[batch * b.classes];
            buffer = ByteBuffer.allocateDirect(images.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            tensor = OnnxTensor.createTensor(b.env, buffer, new long[] {batch, 1, 28, 28});
            inputs = Map.of("input", tensor);
        }

        void load(Dataset test, int first) {
            int batch = images.length / test.sampleSize();
            for (int i = 0; i < batch; i++) test.copySample((first + i) % test.size(), images, i * test.sampleSize());
            buffer.clear();
            buffer.put(images);
            buffer.clear();
        }

        /** ORT's logits for the images in the buffer, then the same softmax as panama-cnn's. */
        float[] ort(OrtSession session, OrtEnvironment env, int batch) throws OrtException {
            try (OrtSession.Result r = session.run(inputs)) {
                ((OnnxTensor) r.get(0)).getFloatBuffer().get(logits, 0, batch * (out.length / batch));
            }
            int k = out.length / batch;
            Activations.softmaxRows(batch, k, logits, 0, out, 0);
            return out;
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            tensor.close();
        }
    }

    @Benchmark
    public float[] predict(Call call) throws OrtException {
        if (predictor == null) return call.ort(session, env, batch);
        if (batch == 1) predictor.probabilities(call.images, call.out);
        else predictor.probabilities(call.images, batch, call.out);
        return call.out;
    }
}
