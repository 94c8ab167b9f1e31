package org.panamacnn.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.BufferArena;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Layers applied in order. Built from the per-sample input shape: each layer's output shape is
 * inferred from the one before, and a layer that cannot take its input fails at construction
 * with a message naming the layer, its position and both shapes. A ReLU after a convolution or
 * dense layer is fused into that layer's GEMM epilogue, and its backward into a max-pool that
 * follows it (same results, one pass less each).
 */
public final class Sequential {
    private final Shape inputShape;
    private final Shape outputShape;
    private final List<Layer> layers;
    /** What forward and backward run: the layers, with the fused ones as one step each ({@link Fusion}). */
    private final List<Step> steps;
    private final List<Shape> shapes = new ArrayList<>(); // shapes.get(i) is the input of layer i
    private final List<Param> params = new ArrayList<>();
    /** The read-only view {@link #params()} hands out, made once: a training step asks for it several times. */
    private final List<Param> paramsView = Collections.unmodifiableList(params);
    private final BuildContext context;
    /** Leading steps of a frozen prefix (fine-tuning): run in evaluation mode, never backward. */
    private final int frozenSteps;

    public Sequential(Shape inputShape, Layer... layers) {
        this(inputShape, ParallelExecutor.SEQUENTIAL, List.of(layers));
    }

    /** A model over new weights, with the default engine options. */
    public Sequential(Shape inputShape, ParallelExecutor executor, List<Layer> layers) {
        this(inputShape, layers, BuildContext.standalone(executor));
    }

    /**
     * The layers built in order from the input shape in context: over its weights (new ones for a
     * new model, a model's shared ones for a training state), spread over its executor, planned
     * with its options. Layer i's tensors are named "i.…", as PyTorch names an nn.Sequential's (a
     * model that is one graph named from the root names them by node alone: {@link #tensorPrefix}).
     */
    public Sequential(Shape inputShape, List<Layer> layers, BuildContext context) {
        this(inputShape, layers, context, 0, Set.of());
    }

    /**
     * As {@link #Sequential(Shape, List, BuildContext)}, for training with some tensors frozen: the
     * first frozenLayers layers are a frozen prefix (evaluation mode, no backward), and the
     * parameters whose values are in frozen are left out of {@link #params()}, so no optimizer
     * touches them.
     */
    private Sequential(Shape inputShape, List<Layer> layers, BuildContext context, int frozenLayers, Set<Tensor> frozen) {
        if (layers.isEmpty()) throw new IllegalArgumentException("a Sequential model needs at least one layer");
        this.inputShape = inputShape;
        this.context = context;
        this.layers = List.copyOf(layers);
        Nesting.requireBuildable(this.layers);
        Shape shape = inputShape;
        requireBoundedActivation(shape, null);
        for (int i = 0; i < this.layers.size(); i++) {
            Layer layer = this.layers.get(i);
            shapes.add(shape);
            try {
                shape = layer.build(shape, tensorPrefix(this.layers, i).isEmpty() ? context : context.child(String.valueOf(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + " (" + layer.describe() + ") cannot take input "
                        + shape + ": " + e.getMessage(), e);
            }
            requireBoundedActivation(shape, "layer " + i + " (" + layer.describe() + ")");
            for (Param p : layer.params()) if (!frozen.contains(p.value())) params.add(p);
        }
        shapes.add(shape);
        this.outputShape = shape;
        context.weights().requireAllTaken();
        this.steps = Fusion.planChain(this.layers, context.options());
        this.frozenSteps = stepsOver(frozenLayers);
    }

    /** How many of the steps run the first n layers (a fused conv → ReLU → max-pool step runs three). */
    private int stepsOver(int n) {
        int layer = 0, step = 0;
        while (layer < n) layer += steps.get(step++) instanceof PooledConvolution ? 3 : 1;
        if (layer != n) throw new IllegalStateException("a frozen prefix of " + n + " layers ends inside a fused step");
        return step;
    }

    /**
     * The prefix of layer i's tensor names: "i." as PyTorch names an nn.Sequential's children, or
     * nothing when the model is one graph {@link Graph#root(List) named from the root} ("conv1.weight").
     */
    public static String tensorPrefix(List<Layer> layers, int i) {
        return layers.size() == 1 && layers.getFirst() instanceof Graph g && g.namedFromRoot() ? "" : i + ".";
    }

    /** {@link #tensorPrefix(List, int)} of this model's layer i. */
    public String tensorPrefix(int i) {
        return tensorPrefix(layers, i);
    }

    /**
     * Largest per-sample activation a layer may produce: 2^24 floats (64 MiB), 20× ResNet-50's
     * largest at 224×224. Above it one batch would not fit a heap; a model file claiming more is
     * refused at load rather than failing later with OutOfMemoryError.
     */
    public static final int MAX_ACTIVATION = 1 << 24;

    /** Refuses a per-sample activation above {@link #MAX_ACTIVATION}; producer names what makes it, e.g. "layer 3 (Conv2d(...))". */
    static void requireBoundedActivation(Shape shape, String producer) {
        long n = 1;
        for (int d = 0; d < shape.rank() && n <= MAX_ACTIVATION; d++) n *= shape.dim(d);
        if (n > MAX_ACTIVATION) {
            throw new IllegalArgumentException((producer == null ? "the input " : producer + " would produce ") + shape
                    + ": more than the supported " + MAX_ACTIVATION + " values per sample");
        }
    }

    /**
     * The same architecture built again over this model's weight tensors: the new layers read and
     * update (through an optimizer) the very same weights and batch-norm statistics, but keep
     * their own gradients, saved activations and scratch, and spread their work over executor.
     * It is how training keeps its state apart from the model (see {@code TrainingState}), and
     * how several such states may work on one model.
     */
    public Sequential sharingWeights(ParallelExecutor executor) {
        List<Layer> copies = new ArrayList<>();
        for (Layer l : layers) copies.add(l.copy());
        return new Sequential(inputShape, copies, new BuildContext(executor, context.weights().shared(), context.options()));
    }

    /**
     * {@link #sharingWeights(ParallelExecutor)} for fine-tuning: the tensors named in frozen (full
     * names, e.g. "3.main.0.weight") are not trained. The layers that hold only frozen tensors and
     * read only the input or such layers (a frozen prefix) run in evaluation mode, so batch norm
     * uses its running statistics and leaves them as they are, and backward stops where training
     * starts; a batch norm frozen further on runs in evaluation mode too ({@link EvalModeBatchNorm});
     * other frozen tensors further on still pass the gradient through, and are left out of
     * {@link #params()}. Throws IllegalArgumentException when every layer is frozen.
     */
    public Sequential sharingWeights(ParallelExecutor executor, Set<String> frozen) {
        if (frozen.isEmpty()) return sharingWeights(executor);
        FrozenCopies copies = FrozenCopies.of(layers, frozen);
        if (copies.prefix() == layers.size()) throw new IllegalArgumentException("every layer is frozen: nothing is left to train");
        Set<Tensor> values = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (String name : frozen) {
            Tensor t = context.weights().byName().get(name);
            if (t == null) throw new IllegalArgumentException("the model has no tensor " + name + " to freeze");
            values.add(t);
        }
        return new Sequential(inputShape, copies.layers(), new BuildContext(executor, context.weights().shared(), context.options()),
                copies.prefix(), values);
    }

    /** How many of {@link #steps()} form the frozen prefix, run in evaluation mode and never backward (0 when nothing is frozen). */
    public int frozenPrefixSteps() {
        return frozenSteps;
    }

    /** The model's tensors by full name ("0.weight", "3.main.1.running_var"), held once. */
    public Weights weights() {
        return context.weights();
    }

    /** The engine options this model was built with (and its training states are). */
    public EngineOptions options() {
        return context.options();
    }

    /** Restarts every layer's training random streams (dropout) from one seed, weights untouched. */
    public void reseed(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Layer layer : layers) layer.reseed(random.split());
    }

    /** The executor this model's layers spread their work over. */
    public ParallelExecutor executor() {
        return context.executor();
    }

    /** Initialises every layer's parameters from one seed (layer by layer, in order). */
    public void initialize(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Layer layer : layers) layer.initialize(random.split());
    }

    /** x is [batch, input...]; returns the last layer's output (owned by that layer). */
    public Tensor forward(Tensor x, boolean training) {
        Shape s = x.shape();
        if (!s.isBatchOf(inputShape)) {
            throw new IllegalArgumentException("model expects input [batch, " + inner(inputShape) + "] but got " + s);
        }
        Tensor t = x;
        for (int i = 0; i < steps.size(); i++) t = steps.get(i).forward(t, training && i >= frozenSteps);
        return t;
    }

    /**
     * Back-propagates ∂L/∂output through every layer after the frozen prefix (if any); leaves each
     * parameter's gradient in {@link Param#grad()}.
     */
    public void backward(Tensor gradOutput) {
        // nobody needs ∂L/∂input of the model, nor of a frozen prefix
        Step.backwardChain(steps, frozenSteps, gradOutput, false, context.gradientArena());
    }

    /**
     * Where values first go non-finite for input x (a diagnosis for divergence, not a hot path):
     * the first layer with a NaN/infinite weight, else the first layer whose output (in
     * evaluation mode) holds one; null when all are finite.
     */
    public String firstNonFinite(Tensor x) {
        for (int i = 0; i < layers.size(); i++) {
            for (Param p : layers.get(i).params()) {
                if (!allFinite(p.value().data(), p.size())) return "layer " + i + " (" + layers.get(i).describe() + ") weight " + p.name();
            }
        }
        Tensor t = x;
        for (int i = 0; i < layers.size(); i++) {
            t = layers.get(i).forward(t, false);
            if (!allFinite(t.data(), t.size())) return "layer " + i + " (" + layers.get(i).describe() + ") output";
        }
        return null;
    }

    /** The index of the layer that owns p (directly or inside a block), or -1. */
    public int layerOf(Param p) {
        for (int i = 0; i < layers.size(); i++) if (layers.get(i).params().contains(p)) return i;
        return -1;
    }

    private static boolean allFinite(float[] a, int n) {
        for (int i = 0; i < n; i++) if (!Float.isFinite(a[i])) return false;
        return true;
    }

    public List<Layer> layers() {
        return layers;
    }

    /**
     * What {@link #forward} and {@link #backward} run, in order: the layers, except that layers
     * fused into one step (a convolution, its ReLU and the max-pool after it) appear as that step.
     * For profiling; a model's file and description name its layers.
     */
    public List<Step> steps() {
        return steps;
    }

    public List<Param> params() {
        return paramsView;
    }

    public long parameterCount() {
        long n = 0;
        for (Param p : params) n += p.size();
        return n;
    }

    public Shape inputShape() {
        return inputShape;
    }

    public Shape outputShape() {
        return outputShape;
    }

    /** The per-sample input shape of layer i (i = layer count gives the model's output). */
    public Shape shapeBefore(int i) {
        return shapes.get(i);
    }

    /** One line per layer: what it is, its output shape and its parameter count. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-38s %-16s %10s%n", "layer", "output", "params"));
        sb.append(String.format("%-38s %-16s %10s%n", "input", inputShape, ""));
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            long n = 0;
            for (Param p : l.params()) n += p.size();
            sb.append(String.format("%-38s %-16s %10d%n", l.describe(), shapes.get(i + 1), n));
            if (l instanceof Graph g) {
                for (int k = 0; k < g.nodes().size(); k++) {
                    Graph.Node node = g.nodes().get(k);
                    long m = 0;
                    if (node.layer() != null) for (Param p : node.layer().params()) m += p.size();
                    String reads = g.readsPrevious(k) ? "" : "(" + String.join(", ", node.inputs()) + ")";
                    sb.append(String.format("%-38s %-16s %10d%n", "  " + node.name() + reads + ": "
                            + (node.layer() != null ? node.layer().describe() : node.merge().describe()), g.shapeOf(k), m));
                }
            }
        }
        sb.append(String.format("%-38s %-16s %10d%n", "total", "", parameterCount()));
        return sb.toString();
    }

    private static String inner(Shape s) {
        String t = s.toString();
        return t.substring(1, t.length() - 1);
    }
}
