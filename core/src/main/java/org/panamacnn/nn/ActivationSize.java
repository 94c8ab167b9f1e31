package org.panamacnn.nn;

import java.util.ArrayDeque;
import java.util.List;

/**
 * How many activation values one sample makes a built model hold: every layer's output, every
 * graph node's, and inside residual blocks one output-sized tensor per path layer (their shapes
 * stay inside the block; they are of the block's output size or near it). An estimate for the
 * memory budget, not an exact figure: it must see a 5,000-node graph of ReLUs for what it is.
 * Walks the layer tree with a stack of its own, not by recursion.
 */
public final class ActivationSize {
    private ActivationSize() {}

    /**
     * What training holds per sample besides the outputs: the input gradients. Those of a chain and
     * of residual blocks borrow a few arrays from the model's arena (counted as six of the largest
     * output); a graph holds its pending gradients ({@link Graph#maxPendingGradients}) and, while
     * one is summed or a node writes its input gradient, two more (counted at its largest node output).
     */
    public static long gradientsPerSample(Sequential model) {
        long largest = model.inputShape().size(), graphs = 0;
        ArrayDeque<Layer> todo = new ArrayDeque<>(model.layers());
        for (int i = 0; i < model.layers().size(); i++) largest = Math.max(largest, model.shapeBefore(i + 1).size());
        while (!todo.isEmpty()) {
            Layer l = todo.pop();
            if (l instanceof Graph g) {
                long widest = 0;
                for (int k = 0; k < g.nodes().size(); k++) widest = Math.max(widest, g.shapeOf(k).size());
                graphs = Math.addExact(graphs, Math.multiplyExact(g.maxPendingGradients() + 2L, widest));
            } else if (l instanceof Residual r) {
                r.main().forEach(todo::push);
                r.shortcut().forEach(todo::push);
            }
        }
        return Math.addExact(graphs, Math.multiplyExact(6, largest));
    }

    public static long perSample(Sequential model) {
        long total = model.inputShape().size();
        for (int i = 0; i < model.layers().size(); i++) {
            total = Math.addExact(total, of(model.layers().get(i), model.shapeBefore(i + 1).size()));
        }
        return total;
    }

    private static long of(Layer top, long outputSize) {
        long total = 0;
        ArrayDeque<Layer> todo = new ArrayDeque<>(List.of(top));
        ArrayDeque<Long> sizes = new ArrayDeque<>(List.of(outputSize));
        while (!todo.isEmpty()) {
            Layer l = todo.pop();
            long out = sizes.pop();
            if (l instanceof Graph g) {
                for (int k = 0; k < g.nodes().size(); k++) total = Math.addExact(total, g.shapeOf(k).size());
            } else if (l instanceof Residual r) {
                total = Math.addExact(total, out);
                for (Layer inner : r.main()) { todo.push(inner); sizes.push(out); }
                for (Layer inner : r.shortcut()) { todo.push(inner); sizes.push(out); }
            } else {
                total = Math.addExact(total, out);
            }
        }
        return total;
    }
}
