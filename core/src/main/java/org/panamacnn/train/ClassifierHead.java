package org.panamacnn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.panamacnn.nn.BuildContext;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Graph;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.Weights;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A model's classifier head — the layer that produces the class scores — and its replacement by
 * a fresh one for another number of classes, as a PyTorch user does with
 * {@code model.fc = nn.Linear(model.fc.in_features, n)}.
 *
 * <p>The head is the last layer with weights, reached from the output through layers without
 * weights (flatten, pooling, activations, dropout); in a graph, through the nodes feeding the
 * output. It must be a dense layer or an ungrouped convolution (SqueezeNet's 1×1 classifier);
 * anything else, or a merge on the way, is an error naming it. The new head is initialised as
 * PyTorch initialises nn.Linear and nn.Conv2d: weight and bias uniform in ±1/√fan_in.
 */
public final class ClassifierHead {
    /**
     * The head: its tensors' name prefix ("9.", "0.n41_gemm.", "fc." in a graph named from the
     * root), the layer, and where it is in words ("layer 9", "graph node 'fc' of layer 0").
     */
    public record Location(String prefix, Layer layer, String where) {
        /** "layer 9 (Dense(128→10))" or "graph node 'n41_gemm' of layer 0 (Dense(512→10))". */
        public String describe() {
            return where + " (" + layer.describe() + ")";
        }
    }

    private ClassifierHead() {}

    /** Where model's classifier head is; IllegalArgumentException saying why when none can be identified. */
    public static Location locate(Sequential model) {
        List<Layer> layers = model.layers();
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer l = layers.get(i);
            if (l.params().isEmpty()) continue;
            if (l instanceof Graph g) return inGraph(g, model.tensorPrefix(i), g.namedFromRoot() ? "" : " of layer " + i);
            return head(l, "layer " + i, model.tensorPrefix(i));
        }
        throw new IllegalArgumentException("no classifier head: the model has no layer with weights");
    }

    private static Location inGraph(Graph g, String prefix, String ofLayer) {
        List<Graph.Node> nodes = g.nodes();
        Graph.Node n = nodes.getLast();
        while (true) {
            if (n.merge() != null) {
                throw new IllegalArgumentException("no classifier head: the output is reached from graph node '" + n.name() + "' ("
                        + n.merge().describe() + "), which merges branches; a head is one dense layer or convolution the output comes from");
            }
            if (!n.layer().params().isEmpty()) return head(n.layer(), "graph node '" + n.name() + "'" + ofLayer, prefix + n.name() + ".");
            String from = n.inputs().getFirst();
            if (from.equals(Graph.INPUT)) throw new IllegalArgumentException("no classifier head: no layer with weights leads to the graph's output");
            n = nodes.stream().filter(m -> m.name().equals(from)).findFirst().orElseThrow();
        }
    }

    private static Location head(Layer l, String where, String prefix) {
        if (l instanceof Dense || l instanceof Conv2d) return new Location(prefix, l, where);
        throw new IllegalArgumentException("no classifier head: the last layer with weights before the output, " + where + " ("
                + l.describe() + "), is not a dense layer or a convolution");
    }

    /**
     * A new model: model's architecture and weights (copied) with the head replaced by a fresh one
     * giving classes outputs, drawn from seed. model itself is not changed.
     */
    public static Sequential replace(Sequential model, int classes, long seed) {
        if (classes < 1) throw new IllegalArgumentException("a classifier needs at least 1 class, got " + classes);
        Location at = locate(model);
        Layer fresh = switch (at.layer()) {
            case Dense d -> new Dense(d.inFeatures(), classes);
            case Conv2d c -> new Conv2d(c.inChannels(), classes, c.kernel(), c.stride(), c.padding(), c.params().size() == 2);
            default -> throw new IllegalStateException(at.layer().describe());
        };
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < model.layers().size(); i++) {
            Layer l = model.layers().get(i);
            String prefix = model.tensorPrefix(i);  // "i.", or "" for a graph named from the root
            if (at.prefix().equals(prefix)) layers.add(fresh);
            else if (l instanceof Graph g && at.prefix().startsWith(prefix)) {
                layers.add(withNode(g, at.prefix().substring(prefix.length(), at.prefix().length() - 1), fresh));
            } else layers.add(l.copy());
        }
        Sequential tuned;
        try {
            tuned = new Sequential(model.inputShape(), layers, new BuildContext(model.executor(), Weights.create(), model.options()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a head of " + classes + " classes in place of " + at.describe() + " does not fit: " + e.getMessage(), e);
        }
        if (!tuned.outputShape().equals(Shape.of(classes))) {
            throw new IllegalArgumentException("no classifier head: with " + at.describe() + " giving " + classes
                    + " outputs the model gives " + tuned.outputShape() + ", not one score per class");
        }
        Map<String, Tensor> from = model.weights().byName();
        SplittableRandom random = new SplittableRandom(seed);
        for (Map.Entry<String, Tensor> e : tuned.weights().byName().entrySet()) {
            float[] to = e.getValue().data();
            if (e.getKey().startsWith(at.prefix())) {
                initialise(to, fresh, random);
            } else {
                System.arraycopy(from.get(e.getKey()).data(), 0, to, 0, to.length);
            }
        }
        return tuned;
    }

    private static Graph withNode(Graph g, String name, Layer fresh) {
        List<Graph.Node> nodes = new ArrayList<>();
        for (Graph.Node n : g.nodes()) {
            Layer l = n.layer() == null ? null : n.name().equals(name) ? fresh : n.layer().copy();
            nodes.add(new Graph.Node(n.name(), l, n.merge() == null ? null : n.merge().copy(), n.inputs()));
        }
        return g.withNodes(nodes);
    }

    /** PyTorch's default for nn.Linear and nn.Conv2d (kaiming_uniform with a = √5, and the bias alike): U(−b, b), b = 1/√fan_in. */
    private static void initialise(float[] values, Layer head, SplittableRandom random) {
        int fanIn = head instanceof Dense d ? d.inFeatures() : ((Conv2d) head).inChannels() * ((Conv2d) head).kernel() * ((Conv2d) head).kernel();
        double bound = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < values.length; i++) values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
    }
}
