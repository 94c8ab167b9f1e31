package org.panamacnn.nn;

import java.util.List;
import org.panamacnn.tensor.BufferArena;
import org.panamacnn.tensor.Tensor;

/**
 * What a training forward and backward pass runs, one after another: a layer, or several layers
 * fused into one step by {@link Fusion} (which run as one but are saved and described as the
 * layers they are). A step owns the tensors it returns until its next call of the same method.
 */
public interface Step {
    /** x is [batch, input...]; returns [batch, output...]. With training, keeps what backward needs. */
    Tensor forward(Tensor x, boolean training);

    /**
     * gradOut is ∂L/∂output of the last training forward. Overwrites the parameter gradients with
     * ∂L/∂parameter and returns ∂L/∂input, or null when inputGradient is false (first layer).
     */
    Tensor backward(Tensor gradOut, boolean inputGradient);

    /** A one-line description, e.g. "Conv2d(3→16, 3×3, stride 1, pad 1)". */
    String describe();

    /**
     * δ back through steps[size−1] .. steps[first] from g, giving each intermediate input gradient
     * back to the arena once the step before has read it (g itself stays the caller's, and a step
     * that passes its gradient on keeps it alive). Returns ∂L/∂input of steps[first], or null when
     * firstInputGradient is false.
     */
    static Tensor backwardChain(List<Step> steps, int first, Tensor g, boolean firstInputGradient, BufferArena arena) {
        Tensor d = g;
        for (int j = steps.size() - 1; j >= first; j--) {
            Tensor next = steps.get(j).backward(d, j > first || firstInputGradient);
            if (d.data() != g.data() && (next == null || next.data() != d.data())) arena.giveBack(d.data());
            d = next;
        }
        return d;
    }
}
