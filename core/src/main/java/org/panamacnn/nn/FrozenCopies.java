package org.panamacnn.nn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The layers a training state runs when some of the model's tensors are frozen (fine-tuning),
 * made as {@link Layer#copy()}s of the model's layers. A layer is in the <em>frozen prefix</em>
 * when all its tensors are frozen (a layer without tensors qualifies) and it reads only the
 * model's input or prefix layers: its output is then the same at every step, so it runs in
 * evaluation mode and backward never reaches it. A {@link Graph} that starts with such nodes
 * gets them marked ({@link Graph#freezePrefix}); a {@link Residual} block runs as one, so only a
 * whole frozen block is in the prefix. A frozen batch norm anywhere else is wrapped in an
 * {@link EvalModeBatchNorm}; other frozen layers there are copied as they are (their gradients
 * are computed and not used).
 */
record FrozenCopies(List<Layer> layers, int prefix) {
    /** The copies of a chain of layers named "0.", "1.", ... (or a root graph's nodes) as a {@link Sequential} names them. */
    static FrozenCopies of(List<Layer> layers, Set<String> frozen) {
        List<Layer> copies = new ArrayList<>();
        int prefix = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String path = Sequential.tensorPrefix(layers, i);
            if (prefix == i && allFrozen(l, path, frozen)) {
                copies.add(l.copy());
                prefix++;
            } else {
                copies.add(copy(l, path, prefix == i, frozen));
            }
        }
        return new FrozenCopies(copies, prefix);
    }

    /** Whether every tensor of layer l (built, named under path) is frozen. */
    static boolean allFrozen(Layer l, String path, Set<String> frozen) {
        for (String name : l.namedParams().keySet()) if (!frozen.contains(path + name)) return false;
        for (String name : l.namedBuffers().keySet()) if (!frozen.contains(path + name)) return false;
        return true;
    }

    /** The copy of a layer outside the frozen prefix; inputFixed: it reads the model's input or the prefix's output. */
    private static Layer copy(Layer l, String path, boolean inputFixed, Set<String> frozen) {
        if (l instanceof Graph g) return graph(g, path, inputFixed, frozen);
        if (l instanceof Residual r) return new Residual(chain(r.main(), path + "main.", frozen), chain(r.shortcut(), path + "shortcut.", frozen));
        if (l instanceof BatchNorm2d norm && allFrozen(l, path, frozen)) return new EvalModeBatchNorm(norm.copy());
        return l.copy();
    }

    /** A residual path: the block runs every layer of it in training, so none is a prefix. */
    private static List<Layer> chain(List<Layer> path, String prefix, Set<String> frozen) {
        List<Layer> copies = new ArrayList<>();
        for (int j = 0; j < path.size(); j++) copies.add(copy(path.get(j), prefix + j + ".", false, frozen));
        return copies;
    }

    private static Graph graph(Graph g, String path, boolean inputFixed, Set<String> frozen) {
        List<Graph.Node> nodes = new ArrayList<>();
        Set<String> fixed = new HashSet<>(), prefix = new HashSet<>();
        if (inputFixed) fixed.add(Graph.INPUT);
        for (Graph.Node n : g.nodes()) {
            boolean inputsFixed = fixed.containsAll(n.inputs());
            if (n.layer() == null) {
                nodes.add(new Graph.Node(n.name(), null, n.merge().copy(), n.inputs()));
            } else if (inputsFixed && allFrozen(n.layer(), path + n.name() + ".", frozen)) {
                nodes.add(new Graph.Node(n.name(), n.layer().copy(), null, n.inputs()));
            } else {
                nodes.add(new Graph.Node(n.name(), copy(n.layer(), path + n.name() + ".", inputsFixed, frozen), null, n.inputs()));
                continue;
            }
            if (inputsFixed) {
                fixed.add(n.name());
                prefix.add(n.name());
            }
        }
        return g.withNodes(nodes).freezePrefix(prefix);
    }
}
