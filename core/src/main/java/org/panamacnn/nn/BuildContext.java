package org.panamacnn.nn;

import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.BufferArena;
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
    /** The chunk gradient arrays every layer built in this context tree shares ({@link ChunkGradients}). */
    private final ChunkGradients.Pool chunkGradients;
    /** The arrays the input gradients of the layers built in this context tree borrow ({@link #gradientBuffer}). */
    private final BufferArena gradients;

    public BuildContext(ParallelExecutor executor, Weights weights, EngineOptions options) {
        this(executor, weights, options, "", new ChunkGradients.Pool(), new BufferArena());
    }

    private BuildContext(ParallelExecutor executor, Weights weights, EngineOptions options, String prefix,
                         ChunkGradients.Pool chunkGradients, BufferArena gradients) {
        this.executor = executor;
        this.weights = weights;
        this.options = options;
        this.prefix = prefix;
        this.chunkGradients = chunkGradients;
        this.gradients = gradients;
    }

    /** A layer built on its own: new weights, default options. */
    public static BuildContext standalone(ParallelExecutor executor) {
        return new BuildContext(executor, Weights.create(), EngineOptions.defaults());
    }

    /** The context of the child called name ("main.0", "b1", "3"): its tensors are named "name.…". */
    public BuildContext child(String name) {
        return new BuildContext(executor, weights, options, prefix + name + ".", chunkGradients, gradients);
    }

    /**
     * A layer's input-gradient buffer, its array borrowed from the model's arena when backward
     * writes it and given back by whoever reads it ({@link Sequential#backward}, {@link Residual}).
     */
    public BatchBuffer gradientBuffer(Shape sample) {
        return new BatchBuffer(sample, gradients);
    }

    /** The arena the input gradients of this context's layers borrow from. */
    BufferArena gradientArena() {
        return gradients;
    }

    /** A layer's per-chunk partial gradients, in the arrays the whole model shares. */
    ChunkGradients chunkGradients(int weightSize, int biasSize) {
        return new ChunkGradients(weightSize, biasSize, chunkGradients);
    }

    /** Whether layers built here name their tensors from the model's root (no prefix): a whole-model graph's context. */
    public boolean isRoot() {
        return prefix.isEmpty();
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
