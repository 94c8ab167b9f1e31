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
    /**
     * Deepest nesting a model is built with: building, training and planning walk blocks inside
     * blocks by recursion, a few frames a level, so this many levels stay far from the stack's
     * end (a model file holds {@link LayerSpec#MAX_NESTING}).
     */
    public static final int MAX_BUILD = 256;

    private Nesting() {}

    /** Refuses layers nested deeper than {@link #MAX_BUILD}, before any recursion over them. */
    static void requireBuildable(List<Layer> layers) {
        int depth = depth(layers);
        if (depth > MAX_BUILD) {
            throw new IllegalArgumentException("residual blocks and graphs nest " + depth + " levels deep; at most " + MAX_BUILD + " are supported");
        }
    }

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
