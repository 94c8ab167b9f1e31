package org.panamacnn.spark;

import java.io.Serializable;
import org.panamacnn.optim.Adam;
import org.panamacnn.optim.Optimizer;
import org.panamacnn.optim.Sgd;

/** The optimizer's settings, so workers build the same one as the driver. */
record OptimizerSpec(String kind, float lr, float momentum, boolean nesterov, float weightDecay) implements Serializable {
    OptimizerSpec {
        if (!kind.equals("sgd") && !kind.equals("adam")) throw new IllegalArgumentException("optimizer must be sgd or adam, got " + kind);
    }

    Optimizer build() {
        return kind.equals("sgd") ? new Sgd(lr, momentum, weightDecay, nesterov) : new Adam(lr, 0.9f, 0.999f, 1e-8f, weightDecay);
    }
}
