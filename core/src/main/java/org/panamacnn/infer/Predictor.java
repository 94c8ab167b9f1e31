package org.panamacnn.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.panamacnn.io.ModelFile;
import org.panamacnn.io.ModelFormatException;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Activations;
import org.panamacnn.tensor.Shape;

/**
 * Class probabilities from a trained model, for services: load once, share one instance among
 * all request threads. Thread-safe and lock-free: the weights ({@link InferenceModel}) are
 * immutable and each calling thread runs in its own {@link Workspace}, made on its first call
 * and reused after, so a call allocates nothing. With threads &gt; 1 one call is spread over
 * that many cores (output-channel panels and row bands); when several calls want the cores at
 * once, the later ones run on their own thread, so N request threads scale with the cores.
 * Results are the same bits whatever the thread count and whichever thread calls.
 */
public final class Predictor implements AutoCloseable {
    /** Largest batch one step runs; longer batches run in slices of this, so a workspace stays small. */
    public static final int MAX_BATCH = 64;

    /** PAUSEs an idle intra-op thread spins before parking (~50–100 µs): longer than the gap between a call's steps. */
    private static final int SPINS = 4096;

    private final InferenceModel model;
    private final ParallelExecutor executor;
    private final ThreadLocal<Workspaces> perThread;
    private final Map<String, String> metadata;
    /**
     * The layers to find where non-finite values start, made only when they do: the model given,
     * or the file read again (so a loaded predictor holds its weights once), or null.
     */
    private final Supplier<Sequential> diagnosis;

    /** This thread's workspaces: one for single images, one (made on first use) for batches. */
    private static final class Workspaces {
        Workspace single, batch;
    }

    /** Plans inference for the model's current weights; one call may use up to threads cores. */
    public Predictor(Sequential model, int threads) {
        this(InferenceModel.compile(model), threads, Map.of(), () -> model);
    }

    public Predictor(Sequential model) {
        this(model, 1);
    }

    public Predictor(InferenceModel model, int threads) {
        this(model, threads, Map.of(), () -> null);
    }

    private Predictor(InferenceModel model, int threads, Map<String, String> metadata, Supplier<Sequential> diagnosis) {
        this.diagnosis = diagnosis;
        this.metadata = Map.copyOf(metadata);
        this.model = model;
        this.executor = threads == 1 ? ParallelExecutor.SEQUENTIAL : new ParallelExecutor(threads, SPINS);
        this.perThread = ThreadLocal.withInitial(Workspaces::new);
    }

    /** The model file's metadata (classes, normalization, ...); empty for a predictor built from a model. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * How the model's training normalised pixels; for a file without it, {@link
     * org.panamacnn.data.PixelNormalization#defaultFor} its input channels (Fashion-MNIST's for one,
     * ImageNet's for three).
     */
    public org.panamacnn.data.PixelNormalization normalization() {
        String stored = metadata.get("normalization");
        if (stored != null || inputShape().rank() != 3) return org.panamacnn.data.PixelNormalization.fromMetadata(stored);
        return org.panamacnn.data.PixelNormalization.defaultFor(inputShape().dim(0));
    }

    /**
     * A picture as this model's input: scaled (bilinear) to the input's height and width (or resized and
     * centre-cropped as {@link #resizing()} says), grey or
     * colour as it takes, and normalised as {@link #normalization()} says — the steps {@code predict}
     * takes. Writes image (length {@link #inputShape()}.size()); allocates only the pixel bytes.
     */
    public void input(java.awt.image.BufferedImage picture, float[] image) {
        ImageInput.write(picture, inputShape(), normalization(), resizing(), image);
    }

    /**
     * How pictures are brought to the input's size: the model file's "resize" entry (torchvision's
     * shorter side + centre crop for models trained on photos); files without it stretch.
     */
    public org.panamacnn.data.Resizing resizing() {
        return org.panamacnn.data.Resizing.fromMetadata(metadata.get("resize"));
    }

    /** As {@link #input(java.awt.image.BufferedImage, float[])}, into a new array. */
    public float[] input(java.awt.image.BufferedImage picture) {
        float[] image = new float[inputShape().size()];
        input(picture, image);
        return image;
    }

    /** A PNG, JPEG, GIF, BMP or TIFF file as this model's input (see {@link #input(java.awt.image.BufferedImage)}). */
    public float[] input(Path file) throws IOException {
        return input(ImageInput.read(file));
    }

    /** An encoded picture (PNG, JPEG, ... bytes) as this model's input. */
    public float[] input(byte[] encoded) throws IOException {
        return input(ImageInput.read(encoded));
    }

    /**
     * Loads a model saved by {@code train} (safetensors); one call runs on the calling thread.
     * Throws as {@link #load(Path, int)} does.
     */
    public static Predictor load(Path file) throws IOException {
        return load(file, 1);
    }

    /**
     * Loads a model whose calls may each be spread over `threads` cores: a panama-cnn model file
     * (safetensors), or an ONNX model when panama-cnn-onnx is on the class path.
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws org.panamacnn.io.ModelFormatException if the file is not a model this engine can run
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if threads is below 1
     */
    public static Predictor load(Path file, int threads) throws IOException {
        if (threads < 1) throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        org.panamacnn.io.ModelReader reader = org.panamacnn.io.ModelReader.forFile(file);
        Sequential model;
        Map<String, String> meta;
        if (reader == null) {
            ModelFile.Loaded loaded = ModelFile.load(file, ParallelExecutor.SEQUENTIAL);
            model = loaded.model();
            meta = loaded.metadata();
        } else {
            model = reader.read(file, ParallelExecutor.SEQUENTIAL);
            meta = Map.of("format", reader.format());
        }
        InferenceModel planned;
        try {
            planned = InferenceModel.compile(model);
        } catch (IllegalArgumentException e) {  // e.g. non-finite weights, a layer inference lacks
            throw new ModelFormatException(file.toString(), "cannot be planned for inference: " + e.getMessage());
        }
        try {
            org.panamacnn.data.PixelNormalization.fromMetadata(meta.get("normalization"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file.toString(), "bad normalization in metadata: " + e.getMessage());
        }
        try {
            org.panamacnn.data.Resizing.fromMetadata(meta.get("resize"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file.toString(), "bad resize in metadata: " + e.getMessage());
        }
        return new Predictor(planned, threads, meta, () -> {
            try {
                return reader == null ? ModelFile.load(file, ParallelExecutor.SEQUENTIAL).model() : reader.read(file, ParallelExecutor.SEQUENTIAL);
            } catch (IOException | RuntimeException e) {
                return null;  // the file changed since: the error then names no layer
            }
        });
    }

    /**
     * Writes the softmax probabilities of the classes for one image (laid out as
     * {@link #inputShape()}, normalised as in training) into out[0 .. classes). Allocates nothing.
     *
     * @throws IllegalArgumentException if an array has the wrong length or the image holds NaN or infinity
     */
    public void probabilities(float[] image, float[] out) {
        check(image, 1, out, true);
        Workspaces mine = perThread.get();
        if (mine.single == null) mine.single = newWorkspace(1);
        run(mine.single, image, 0, 1, out, 0);
    }

    /** As {@link #probabilities(float[], float[])}, into a new array. */
    public float[] probabilities(float[] image) {
        float[] out = new float[classes()];
        probabilities(image, out);
        return out;
    }

    /**
     * The probabilities of `count` images laid out one after another in images; image n's go to
     * out[n·classes ..]. The same values as one call per image.
     */
    public void probabilities(float[] images, int count, float[] out) {
        if (count < 1) throw new IllegalArgumentException("image count must be at least 1, got " + count);
        check(images, count, out, false);
        Workspaces mine = perThread.get();
        if (mine.batch == null) mine.batch = newWorkspace(MAX_BATCH);
        int size = inputShape().size();
        for (int first = 0; first < count; first += MAX_BATCH) {
            int n = Math.min(MAX_BATCH, count - first);
            run(mine.batch, images, first * size, n, out, first * classes());
        }
    }

    /** The most likely class of one image. Allocates nothing. */
    public int classify(float[] image, float[] scratchProbabilities) {
        probabilities(image, scratchProbabilities);
        int best = 0;
        for (int i = 1; i < classes(); i++) if (scratchProbabilities[i] > scratchProbabilities[best]) best = i;
        return best;
    }

    /** A workspace of the caller's own, for {@link #probabilities(float[], int, float[], Workspace)}. */
    public Workspace newWorkspace(int capacity) {
        return model.newWorkspace(capacity, executor.threads());
    }

    /** As the batch call, in a workspace the caller owns (one call at a time per workspace). */
    public void probabilities(float[] images, int count, float[] out, Workspace ws) {
        if (count < 1 || count > ws.capacity()) {
            throw new IllegalArgumentException("image count " + count + " is outside 1.." + ws.capacity() + ", the workspace's capacity");
        }
        check(images, count, out, false);
        run(ws, images, 0, count, out, 0);
    }

    /**
     * The raw outputs (logits, before softmax) for one image, into out[0 .. classes). Allocates
     * nothing; the same validation as {@link #probabilities(float[], float[])}.
     */
    public void logits(float[] image, float[] out) {
        check(image, 1, out, true);
        Workspaces mine = perThread.get();
        if (mine.single == null) mine.single = newWorkspace(1);
        run(mine.single, image, 0, 1, out, 0, false);
    }

    /** As {@link #logits(float[], float[])}, into a new array. */
    public float[] logits(float[] image) {
        float[] out = new float[classes()];
        logits(image, out);
        return out;
    }

    private void run(Workspace ws, float[] images, int from, int count, float[] out, int outOff) {
        run(ws, images, from, count, out, outOff, true);
    }

    /** Runs count images; writes their probabilities (softmax) or, without it, their logits. */
    private void run(Workspace ws, float[] images, int from, int count, float[] out, int outOff, boolean softmax) {
        System.arraycopy(images, from, model.input(ws), 0, count * inputShape().size());
        model.forward(ws, count, executor);
        float[] logits = model.output(ws);
        int k = classes(), stride = model.outputStride();
        for (int n = 0; n < count; n++) {
            for (int c = 0; c < k; c++) {
                if (!Float.isFinite(logits[n * stride + c])) throw nonFinite(images, from + n * inputShape().size(), logits[n * stride + c]);
            }
        }
        for (int n = 0; n < count; n++) {
            if (softmax) Activations.softmaxRows(1, k, logits, n * stride, out, outOff + n * k);
            else System.arraycopy(logits, n * stride, out, outOff + n * k, k);
        }
    }

    /** The error for an image whose output is not finite, naming the first layer that makes non-finite values. */
    private NonFiniteOutputException nonFinite(float[] images, int at, float value) {
        int size = inputShape().size();
        String where = null;
        Sequential layers = diagnosis.get();
        if (layers != null) {
            float[] one = java.util.Arrays.copyOfRange(images, at, at + size);
            synchronized (layers) {  // a diagnosis runs the training-side layers, which are not shared between threads
                where = layers.firstNonFinite(new org.panamacnn.tensor.Tensor(inputShape().withBatch(1), one));
            }
        }
        return new NonFiniteOutputException("the model's output is " + value + " for a finite input"
                + (where == null ? "" : "; the first non-finite values are in " + where));
    }

    private void check(float[] images, int count, float[] out, boolean single) {
        long size = (long) count * inputShape().size();
        if (images.length < size) {
            throw new IllegalArgumentException((count == 1 ? "image" : count + " images") + " need " + size
                    + " values (model input " + inputShape() + ") but the array has " + images.length);
        }
        if (single && images.length != size) {
            throw new IllegalArgumentException("image has " + images.length + " values but the model takes "
                    + inputShape() + " = " + size);
        }
        if (out.length < (long) count * classes()) {
            throw new IllegalArgumentException("output array has " + out.length + " elements, needs " + (long) count * classes()
                    + " (" + classes() + " classes" + (count == 1 ? "" : " × " + count + " images") + ")");
        }
        for (int i = 0; i < size; i++) {
            float v = images[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("input value " + i + (count == 1 ? "" : " (image " + i / inputShape().size() + ")")
                        + " is " + v + "; inputs must be finite");
            }
        }
    }

    public int classes() {
        return model.classes();
    }

    /** The shape of one image (no batch dimension). */
    public Shape inputShape() {
        return model.inputShape();
    }

    /** The planned model: its steps and weight memory. */
    public InferenceModel model() {
        return model;
    }

    /** Threads one call may use. */
    public int threads() {
        return executor.threads();
    }

    /** Stops this predictor's threads (a one-thread predictor holds none). */
    @Override
    public void close() {
        executor.close();
    }
}
