package org.panamacnn.nn;

import java.util.List;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A graph node that joins several tensors into one ({@link Add}, {@link Concat}). Like a
 * {@link Layer}, it owns the tensors it returns: they stay valid until its next call of the same
 * method.
 */
public interface Merge {
    /**
     * Fixes the per-sample input shapes and the executor the work is spread over (by images), and
     * returns the output shape; IllegalArgumentException naming the shapes when they do not fit.
     */
    Shape build(List<Shape> inputs, ParallelExecutor executor);

    /** A new, unbuilt merge of the same kind (see {@link Layer#copy}). */
    Merge copy();

    /** inputs[i] is [batch, input i...]; returns [batch, output...]. */
    Tensor forward(Tensor[] inputs);

    /** ∂L/∂input i for each i, written into gradIn (entries may be gradOut itself where the merge passes it through). */
    void backward(Tensor gradOut, Tensor[] gradIn);

    /** Refuses fewer than two inputs, naming the merge (for direct use; a {@link Graph} checks its nodes first). */
    static void requireTwoOrMore(String merge, List<Shape> inputs) {
        if (inputs.size() < 2) throw new IllegalArgumentException(merge + " needs at least two inputs, got " + inputs.size());
    }

    /** The merge as {@link LayerSpec} reads it back in a graph node: "add", "concat". */
    String spec();

    String describe();
}
