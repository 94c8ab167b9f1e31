package org.panamacnn.nn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.panamacnn.io.Json;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/**
 * A model-definition file: JSON with a list of layers in the form {@link LayerSpec} reads (the
 * same text the model file's metadata keeps), e.g.
 * <pre>
 * {"description": "...", "layers": ["conv2d out=32 kernel=3 pad=1", "relu", "maxpool2d window=2",
 *                                   "flatten", "dense out=classes"]}
 * </pre>
 * The input shape comes from the data; {@code out=classes} stands for the data's class count.
 * Errors name the file and the layer.
 */
public final class ModelDefinition {
    /** Files bigger than this are not model definitions (a guard against reading a huge file by mistake). */
    private static final long MAX_BYTES = 1 << 20;

    /** Most parameters a definition may ask for: 2^28 floats (1 GiB), 10× ResNet-50. */
    public static final long MAX_PARAMETERS = 1L << 28;

    private ModelDefinition() {}

    public static Sequential load(Path file, Shape input, int classes, ParallelExecutor executor) throws IOException {
        if (Files.size(file) > MAX_BYTES) throw new IllegalArgumentException(file + ": larger than 1 MB; not a model definition");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text; not a model definition", e);
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("layers") instanceof List<?> specs) || specs.isEmpty()) {
            throw new IllegalArgumentException(file + ": expected an object with a non-empty \"layers\" list");
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            if (!(specs.get(i) instanceof String spec)) {
                throw new IllegalArgumentException(file + ": layer " + i + " is not a string: " + specs.get(i));
            }
            try {
                layers.add(LayerSpec.parse(spec.replace("out=classes", "out=" + classes)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": layer " + i + ": " + e.getMessage(), e);
            }
        }
        try {
            return Param.withAllocationLimit(MAX_PARAMETERS, () -> new Sequential(input, executor, layers));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
