package org.panamacnn.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/**
 * One stage of a network. Shapes given to {@link #build} are per sample (no batch dimension);
 * tensors passed to forward and backward carry the batch first.
 *
 * <p>A layer owns the buffers it returns: the output of {@link #forward} and the input gradient
 * of {@link #backward} stay valid until the next call of the same method.
 */
public interface Layer extends Step {
    /**
     * Fixes the layer's input shape, takes its tensors from the context's weights (creating them
     * when the model is being made) and the executor its work is spread over, and returns its
     * output shape. Throws IllegalArgumentException naming the expected and the given shape when
     * they disagree.
     */
    Shape build(Shape input, BuildContext context);

    /** {@link #build(Shape, BuildContext)} on its own new weights, spread over executor. */
    default Shape build(Shape input, ParallelExecutor executor) {
        return build(input, BuildContext.standalone(executor));
    }

    /** {@link #build(Shape, ParallelExecutor)} on the calling thread only. */
    default Shape build(Shape input) {
        return build(input, ParallelExecutor.SEQUENTIAL);
    }

    /**
     * A new, unbuilt layer with the same settings: what a training state builds over the model's
     * weights, so that the model's layers and each state's keep their per-call buffers apart.
     */
    Layer copy();

    /** Trainable parameters (empty for parameter-free layers). */
    default List<Param> params() {
        return List.of();
    }

    /**
     * State saved with the model but not trained by the optimizer (batch norm's running
     * statistics); named as PyTorch names them.
     */
    default List<Param> buffers() {
        return List.of();
    }

    /** The parameters by the names a model file gives them (PyTorch's names within the layer). */
    default java.util.Map<String, Param> namedParams() {
        java.util.Map<String, Param> m = new java.util.LinkedHashMap<>();
        for (Param p : params()) m.put(p.name(), p);
        return m;
    }

    /** The buffers by name, as {@link #namedParams()}. */
    default java.util.Map<String, Param> namedBuffers() {
        java.util.Map<String, Param> m = new java.util.LinkedHashMap<>();
        for (Param p : buffers()) m.put(p.name(), p);
        return m;
    }

    /** Draws the initial parameter values (and, as {@link #reseed}, the random streams). */
    default void initialize(SplittableRandom random) {}

    /**
     * Restarts the random streams training draws from (dropout's masks) without touching any
     * weight: training state, set by whoever trains the layer.
     */
    default void reseed(SplittableRandom random) {}

    /** The layer as {@link LayerSpec#parse} reads it back, e.g. "conv2d out=32 kernel=3 stride=1 pad=1". */
    String spec();

}
