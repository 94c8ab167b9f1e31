package org.panamacnn.nn;

import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * What a layer is built with: the executor its work is spread over, the weights its tensors live
 * in (named by the path to the layer, as PyTorch names a module's tensors), and the engine
 * options. Passed down explicitly: composite layers give each child a {@link #child} context.
 */
public final class BuildContext {
    private final ParallelExecutor executor;
    private final Weights weights;
    private final EngineOptions options;
    private final String prefix;

    public BuildContext(ParallelExecutor executor, Weights weights, EngineOptions options) {
        this(executor, weights, options, "");
    }

    private BuildContext(ParallelExecutor executor, Weights weights, EngineOptions options, String prefix) {
        this.executor = executor;
        this.weights = weights;
        this.options = options;
        this.prefix = prefix;
    }

    /** A layer built on its own: new weights, default options. */
    public static BuildContext standalone(ParallelExecutor executor) {
        return new BuildContext(executor, Weights.create(), EngineOptions.defaults());
    }

    /** The context of the child called name ("main.0", "b1", "3"): its tensors are named "name.…". */
    public BuildContext child(String name) {
        return new BuildContext(executor, weights, options, prefix + name + ".");
    }

    public ParallelExecutor executor() {
        return executor;
    }

    public EngineOptions options() {
        return options;
    }

    public Weights weights() {
        return weights;
    }

    /** The layer's tensor called name (e.g. "weight"), new values filled with initial, or the shared model's. */
    public Param param(String name, Shape shape, float initial) {
        return new Param(name, weights.take(prefix + name, shape, initial));
    }

    public Param param(String name, Shape shape) {
        return param(name, shape, 0f);
    }

    /**
     * A constant-zero stand-in that is not one of the model's tensors (a bias-free layer's bias,
     * which its kernels still read): never shared, saved or trained.
     */
    public Param zeros(String name, Shape shape) {
        return new Param(name, new Tensor(shape));
    }
}
