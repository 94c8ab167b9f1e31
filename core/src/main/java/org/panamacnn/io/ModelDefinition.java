package org.panamacnn.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.panamacnn.nn.BuildContext;
import org.panamacnn.nn.EngineOptions;
import org.panamacnn.nn.Graph;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.LayerSpec;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.Weights;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.AllocationBudget;
import org.panamacnn.tensor.Shape;

/**
 * A model-definition file: JSON with a list of layers in the form {@link LayerSpec} reads (the
 * same text the model file's metadata keeps), e.g.
 * <pre>
 * {"description": "...", "layers": ["conv2d out=32 kernel=3 pad=1", "relu", "maxpool2d window=2",
 *                                   "flatten", "dense out=classes"]}
 * </pre>
 * or, for a model that is not a chain, a graph of named nodes (each reads the node before
 * unless it names its inputs; {@code add} and {@code concat} merge two or more):
 * <pre>
 * {"graph": [{"name": "stem", "layer": "conv2d out=16 kernel=3 pad=1"}, {"name": "a", "layer": "relu"},
 *            {"name": "b1", "layer": "conv2d out=8 kernel=1", "inputs": "a"},
 *            {"name": "b3", "layer": "conv2d out=8 kernel=3 pad=1", "inputs": "a"},
 *            {"name": "cat", "layer": "concat", "inputs": ["b1", "b3"]}, ...]}
 * </pre>
 * A graph file is a whole model: its tensors are named by node alone ({@link Graph#root(List)}), and
 * node names may be dotted module paths, so {@code "layer1.0.conv1"} saves
 * {@code layer1.0.conv1.weight} as PyTorch's {@code state_dict} names it.
 * The input shape comes from the data; {@code out=classes} stands for the data's class count.
 * An optional {@code "input": "C,H,W"} names the shape the network was designed for, which
 * benchmarks and tests build it with ({@link #declaredInput}); training still takes the data's.
 * Errors name the file and the layer.
 */
public final class ModelDefinition {
    /** Files bigger than this are not model definitions (a guard against reading a huge file by mistake). */
    private static final int MAX_BYTES = 1 << 20;

    /** Most parameters a definition may ask for: 2^28 floats (1 GiB), 10× ResNet-50; less when the memory budget is smaller. */
    public static final long MAX_PARAMETERS = 1L << 28;

    /**
     * The parameters a definition may ask for here: {@link #MAX_PARAMETERS}, or as many floats as
     * the memory budget holds ({@link AllocationBudget}) when that is less, so a definition asking
     * for more weights than the heap can hold is refused before they are made.
     */
    static long parameterLimit() {
        return Math.min(MAX_PARAMETERS, AllocationBudget.bytes() / Float.BYTES);
    }

    private ModelDefinition() {}

    private static String withClasses(String spec, int classes) {
        return spec.replace("out=classes", "out=" + classes);
    }

    /** "graph": [{"name": "a", "layer": "conv2d ...", "inputs": ["input"]}, ...]; inputs default to the node before. A whole model, named from the root. */
    private static Graph graph(Path file, List<?> nodes, int classes) {
        List<Graph.Node> built = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            String where = file + ": graph node " + i;
            if (!(nodes.get(i) instanceof Map<?, ?> node) || !(node.get("name") instanceof String name) || !(node.get("layer") instanceof String spec)) {
                throw new IllegalArgumentException(where + " is not an object with a \"name\" and a \"layer\" string: " + nodes.get(i));
            }
            for (Object key : node.keySet()) {
                if (!List.of("name", "layer", "inputs").contains(key)) throw new IllegalArgumentException(where + " ('" + name + "'): unknown key \"" + key + "\"");
            }
            List<String> inputs = null;
            Object in = node.get("inputs");
            if (in instanceof String one) {
                inputs = List.of(one);
            } else if (in instanceof List<?> many) {
                inputs = new ArrayList<>();
                for (Object o : many) {
                    if (!(o instanceof String s)) throw new IllegalArgumentException(where + " ('" + name + "'): input " + o + " is not a node name");
                    inputs.add(s);
                }
            } else if (in != null) {
                throw new IllegalArgumentException(where + " ('" + name + "'): \"inputs\" must be a name or a list of names, not " + in);
            }
            try {
                built.add(LayerSpec.node(name, inputs, withClasses(spec, classes), built, 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        try {
            return Graph.root(built);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The file's parsed JSON; errors name the file. */
    private static Object read(Path file) throws IOException {
        String text = org.panamacnn.io.TextFiles.read(file, MAX_BYTES, "a model definition");
        try {
            return Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** The file's {@code "input": "C,H,W"}, the shape it was designed for; empty when it names none. */
    public static Optional<Shape> declaredInput(Path file) throws IOException {
        if (!(read(file) instanceof Map<?, ?> map) || !map.containsKey("input")) return Optional.empty();
        Object value = map.get("input");
        String[] parts = value instanceof String s ? s.split(",", -1) : new String[0];
        if (parts.length != 3) throw new IllegalArgumentException(file + ": \"input\" must be \"C,H,W\" (e.g. \"3,32,32\"), not " + value);
        int[] chw = new int[3];
        for (int i = 0; i < 3; i++) {
            try {
                chw[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                chw[i] = 0;
            }
            if (chw[i] < 1 || chw[i] > 1 << 16) {
                throw new IllegalArgumentException(file + ": \"input\" must be three positive sizes up to 65536, \"C,H,W\", not " + value);
            }
        }
        return Optional.of(Shape.of(chw));
    }

    public static Sequential load(Path file, Shape input, int classes, ParallelExecutor executor) throws IOException {
        Object root = read(file);
        List<Layer> layers = new ArrayList<>();
        if (root instanceof Map<?, ?> map && map.get("graph") instanceof List<?> nodes && !nodes.isEmpty() && !map.containsKey("layers")) {
            layers.add(graph(file, nodes, classes));
        } else if (root instanceof Map<?, ?> map && map.get("layers") instanceof List<?> specs && !specs.isEmpty() && !map.containsKey("graph")) {
            for (int i = 0; i < specs.size(); i++) {
                if (!(specs.get(i) instanceof String spec)) {
                    throw new IllegalArgumentException(file + ": layer " + i + " is not a string: " + specs.get(i));
                }
                try {
                    layers.add(LayerSpec.parse(withClasses(spec, classes)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": layer " + i + ": " + e.getMessage(), e);
                }
            }
        } else {
            throw new IllegalArgumentException(file + ": expected an object with either a non-empty \"layers\" list or a non-empty \"graph\" list");
        }
        try {
            long limit = parameterLimit();
            Weights weights = Weights.limitedTo(limit, String.format(java.util.Locale.ROOT, "would take the model past the %,d parameters a model "
                    + "definition may have here (2^28, or fewer when the memory budget is smaller: -Xmx or -Dpanamacnn.memoryBudget)", limit));
            return new Sequential(input, layers, new BuildContext(executor, weights, EngineOptions.defaults()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
