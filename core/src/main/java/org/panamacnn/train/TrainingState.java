package org.panamacnn.train;

import java.util.List;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Optimizer;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Tensor;

/**
 * Everything training writes other than the weights: the gradients, the activations saved for
 * backward, the layers' scratch, dropout's random streams and the optimizer with its slots
 * (momentum, Adam's moments). The model keeps only its architecture and weights; this state is
 * built over them ({@link Sequential#sharingWeights}), so {@link #step} updates the model's own
 * weight tensors in place and nothing is copied back.
 *
 * <p>A model may have several training states, each used by one thread at a time: e.g. two
 * threads each computing the gradients of half a batch, summed before one optimizer step. Running
 * a state's forward or backward, or an optimizer step, while another thread reads the same
 * weights is a data race, as with any in-place update; serve from an
 * {@link org.panamacnn.infer.InferenceModel} snapshot instead.
 */
public final class TrainingState {
    private final Sequential model;
    private final Sequential layers;
    private final Optimizer optimizer;
    private final ParallelExecutor executor;
    private final Freeze freeze;
    private final java.util.Set<String> frozenTensors;

    /** A state that spreads its work over the model's executor. */
    public TrainingState(Sequential model, Optimizer optimizer) {
        this(model, optimizer, model.executor());
    }

    public TrainingState(Sequential model, Optimizer optimizer, ParallelExecutor executor) {
        this(model, optimizer, executor, Freeze.none());
    }

    /**
     * A state that trains all but the frozen tensors (fine-tuning; see {@link Freeze}), fixed for
     * its life: they get no gradient and keep their bits, frozen batch norm runs in evaluation
     * mode, and backward stops where the frozen prefix ends. Throws IllegalArgumentException for
     * a prefix that matches no tensor, or when everything is frozen.
     */
    public TrainingState(Sequential model, Optimizer optimizer, ParallelExecutor executor, Freeze freeze) {
        this.model = model;
        this.freeze = freeze;
        this.frozenTensors = java.util.Collections.unmodifiableSet(freeze.tensorsOf(model));
        this.layers = model.sharingWeights(executor, frozenTensors);
        this.optimizer = optimizer;
        this.executor = executor;
    }

    /** What this state keeps fixed. */
    public Freeze freeze() {
        return freeze;
    }

    /** The full names of the model's tensors this state does not train (empty when nothing is frozen). */
    public java.util.Set<String> frozenTensors() {
        return frozenTensors;
    }

    /** The model whose weights this state trains. */
    public Sequential model() {
        return model;
    }

    /**
     * The layers this state runs: the model's architecture over the model's weight tensors, with
     * this state's gradients ({@link Param#grad()} of {@link Sequential#params()}) and buffers.
     */
    public Sequential layers() {
        return layers;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The trainable parameters (frozen ones left out): the model's weights, this state's gradients. */
    public List<Param> params() {
        return layers.params();
    }

    /** A training forward pass: keeps what {@link #backward} needs; the output is this state's. */
    public Tensor forward(Tensor x) {
        return layers.forward(x, true);
    }

    /** Writes ∂L/∂parameter of the last forward into this state's gradients. */
    public void backward(Tensor gradOutput) {
        layers.backward(gradOutput);
    }

    /** Updates the model's weights from this state's gradients (large parameters split over the layers' executor). */
    public void step() {
        optimizer.step(params(), executor);
    }

    /** Restarts the random streams training draws (dropout masks) from seed. */
    public void reseed(long seed) {
        layers.reseed(seed);
    }
}
