package org.panamacnn.optim;

import java.util.List;
import org.panamacnn.nn.Param;

/** Updates parameters from the gradients the last backward pass left in them. */
public interface Optimizer {
    void step(List<Param> params);

    /** The learning rate the next step uses. */
    float learningRate();

    void setLearningRate(float lr);

    /** Forgets accumulated state (momentum, moments), as if no step had been taken. */
    void reset();
}
