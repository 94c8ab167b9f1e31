package org.panamacnn.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.nn.BuildContext;
import org.panamacnn.nn.EngineOptions;
import org.panamacnn.nn.Weights;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.LayerSpec;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/**
 * A trained model as a safetensors file. Tensors are named "{layer index}.{param}" — the names
 * PyTorch gives an nn.Sequential of the same layers (Conv2d weights [out, in, kh, kw], Linear
 * weights [out, in], NCHW flatten order) — or by node alone for a model that is one graph named
 * from the root ({@link Sequential#tensorPrefix}), so {@code model.load_state_dict} takes them as
 * they are. The architecture and input shape are kept in the metadata, so the file alone rebuilds
 * the model.
 */
public final class ModelFile {
    public static final String FORMAT = "panama-cnn/1";

    private ModelFile() {}

    /** Writes the model's weights and architecture, plus extra metadata, atomically. */
    public static void save(Path file, Sequential model, Map<String, String> extraMetadata) throws IOException {
        save(file, model, extraMetadata, List.of());
    }

    /** As above, with extra tensors (a checkpoint's optimizer state) after the weights. */
    public static void save(Path file, Sequential model, Map<String, String> extraMetadata, List<NamedTensor> extraTensors)
            throws IOException {
        int nesting = org.panamacnn.nn.Nesting.depth(model.layers());
        if (nesting > LayerSpec.MAX_NESTING) {  // what load would refuse is never written
            throw new IllegalArgumentException("not saving " + file + ": residual blocks and graphs nest " + nesting
                    + " levels deep; a model file holds at most " + LayerSpec.MAX_NESTING);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("input_shape", dimsText(model.inputShape()));
        List<Object> arch = new ArrayList<>();
        for (Layer l : model.layers()) arch.add(l.spec());
        meta.put("architecture", Json.write(arch));
        meta.putAll(new java.util.TreeMap<>(extraMetadata)); // sorted: the same model and metadata give the same file bytes, whatever map the caller used
        ModelMetadata.check(file.toString(), meta, model.inputShape(), model.outputShape());
        List<NamedTensor> tensors = new ArrayList<>();
        List<Layer> layers = model.layers();
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Param> e : savedTensors(layers.get(i)).entrySet()) {
                Param p = e.getValue();
                tensors.add(new NamedTensor(model.tensorPrefix(i) + e.getKey(), p.value().shape().dims(), p.value().toArray()));
            }
        }
        requireFinite(tensors, file);
        tensors.addAll(extraTensors);
        SafeTensors.write(file, tensors, meta);
    }

    /** A model read back, with the file's metadata and all its tensors (weights and any optimizer state). */
    public record Loaded(Sequential model, Map<String, String> metadata, Map<String, NamedTensor> tensors) {}

    public static Loaded load(Path file, ParallelExecutor executor) throws IOException {
        String name = file.toString();
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new ModelFormatException(name, "is not a panama-cnn model (metadata format is " + meta.get("format") + ")");
        }
        Sequential model;
        try {
            Shape input = Shape.of(parseDims(meta.get("input_shape")));
            List<Layer> layers = new ArrayList<>();
            if (!(Json.parse(String.valueOf(meta.get("architecture"))) instanceof List<?> specs)) {
                throw new IllegalArgumentException("architecture is not a JSON list of layer specs");
            }
            for (Object spec : specs) {
                if (!(spec instanceof String text)) throw new IllegalArgumentException("layer spec " + spec + " is not a string");
                layers.add(LayerSpec.parse(text));
            }
            // The file's tensors bound what its architecture may allocate: weights the file cannot
            // fill would be refused below anyway, so refuse gross claims before they are allocated
            // (the slack leaves near misses to the check below, whose message names the tensor).
            long floats = contents.tensors().values().stream().mapToLong(t -> t.data().length).sum();
            model = new Sequential(input, layers, new BuildContext(executor, Weights.limitedTo(2 * floats + (1 << 20)), EngineOptions.defaults()));
        } catch (RuntimeException e) {
            throw new ModelFormatException(name, "bad architecture in metadata: " + e.getMessage());
        }
        ModelMetadata.check(name, meta, model.inputShape(), model.outputShape());
        List<Layer> layers = model.layers();
        int expected = 0;
        for (int i = 0; i < layers.size(); i++) {
            for (Map.Entry<String, Param> e : savedTensors(layers.get(i)).entrySet()) {
                Param p = e.getValue();
                NamedTensor t = contents.require(model.tensorPrefix(i) + e.getKey(), name);
                if (!java.util.Arrays.equals(t.shape(), p.value().shape().dims())) {
                    throw new ModelFormatException(name, "tensor \"" + t.name() + "\" has shape " + java.util.Arrays.toString(t.shape())
                            + " but layer " + i + " (" + layers.get(i).describe() + ") needs " + p.value().shape());
                }
                System.arraycopy(t.data(), 0, p.value().data(), 0, p.size());
                expected++;
            }
        }
        long weightTensors = contents.tensors().keySet().stream().filter(k -> !k.startsWith("optimizer.") && !SafeTensors.isBatchCounter(k)).count();
        if (weightTensors != expected) {
            throw new ModelFormatException(name, "holds " + weightTensors + " weight tensors but the architecture has " + expected);
        }
        return new Loaded(model, meta, contents.tensors());
    }

    /** A broken model never replaces a file: NaN or infinite weights are refused before writing. */
    private static void requireFinite(List<NamedTensor> tensors, Path file) {
        for (NamedTensor t : tensors) {
            for (float v : t.data()) {
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException("not saving " + file + ": weight tensor \"" + t.name() + "\" holds " + v);
                }
            }
        }
    }

    /** A layer's parameters, then its buffers (running statistics): what the file holds for it. */
    private static Map<String, Param> savedTensors(Layer layer) {
        Map<String, Param> all = new LinkedHashMap<>(layer.namedParams());
        all.putAll(layer.namedBuffers());
        return all;
    }

    private static String dimsText(Shape s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.rank(); i++) sb.append(i > 0 ? "," : "").append(s.dim(i));
        return sb.toString();
    }

    private static int[] parseDims(String text) {
        if (text == null) throw new IllegalArgumentException("no input_shape");
        String[] parts = text.split(",");
        int[] d = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                d[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("input_shape \"" + text + "\" is not whole numbers separated by commas");
            }
        }
        return d;
    }
}
