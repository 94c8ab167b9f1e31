package org.panamacnn.optim;

import java.util.List;
import java.util.Map;
import org.panamacnn.nn.Param;

/** Updates parameters from the gradients the last backward pass left in them. */
public interface Optimizer {
    void step(List<Param> params);

    /**
     * {@link #step(List)} with each large parameter's elementwise update split over executor
     * (the same bits: every element is updated from its own values alone).
     */
    default void step(List<Param> params, org.panamacnn.parallel.ParallelExecutor executor) {
        step(params);
    }

    /** The learning rate the next step uses. */
    float learningRate();

    void setLearningRate(float lr);

    /** Forgets accumulated state (momentum, moments), as if no step had been taken. */
    void reset();

    /**
     * The optimizer's state arrays for a parameter, by name (created zeroed on first use): what
     * a checkpoint saves and a resume fills in, so training continues exactly.
     */
    Map<String, float[]> slots(Param p);

    /** Steps taken so far (Adam's bias correction depends on it). */
    default long steps() {
        return 0;
    }

    default void setSteps(long steps) {}

    /**
     * The settings other than the learning rate (which schedules move), e.g. "SGD momentum 0.9":
     * for logs, and to check that a resumed run uses the optimizer it was saved with.
     */
    String describe();
}
