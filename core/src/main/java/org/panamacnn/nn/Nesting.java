package org.panamacnn.nn;

import java.util.ArrayDeque;
import java.util.List;

/**
 * How deep residual blocks and graphs nest in a model, counted as {@link LayerSpec} counts them
 * when it reads a spec back. A model built in code or imported may nest deeper than a model
 * file can hold; saving it would write a file that loading then refuses. Walks the layer tree
 * with its own stack, so any depth is measured without recursion.
 */
public final class Nesting {
    private Nesting() {}

    /** Levels of residual blocks and graphs: 0 for a plain layer, 1 for a block of plain layers. */
    public static int depth(List<Layer> layers) {
        int deepest = 0;
        ArrayDeque<Layer> todo = new ArrayDeque<>(layers);
        ArrayDeque<Integer> levels = new ArrayDeque<>();
        for (int i = 0; i < layers.size(); i++) levels.push(0);
        while (!todo.isEmpty()) {
            Layer l = todo.pop();
            int level = levels.pop();
            List<Layer> inner = l instanceof Residual r ? concat(r.main(), r.shortcut())
                    : l instanceof Graph g ? g.nodes().stream().map(Graph.Node::layer).filter(x -> x != null).toList() : null;
            if (inner == null) continue;
            deepest = Math.max(deepest, level + 1);
            for (Layer x : inner) {
                todo.push(x);
                levels.push(level + 1);
            }
        }
        return deepest;
    }

    private static List<Layer> concat(List<Layer> a, List<Layer> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
