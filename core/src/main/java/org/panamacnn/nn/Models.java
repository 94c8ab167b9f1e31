package org.panamacnn.nn;

import java.util.List;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/** Ready-made networks. */
public final class Models {
    private Models() {}

    /**
     * The default image classifier: conv 32 (3×3, pad 1) → ReLU → max-pool 2 → conv 64 (3×3, pad 1)
     * → ReLU → max-pool 2 → flatten → dense 128 → ReLU → dense classes (logits for softmax
     * cross-entropy).
     */
    public static Sequential defaultCnn(Shape input, int classes, ParallelExecutor executor) {
        return new Sequential(input, executor, List.of(
                new Conv2d(32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(64, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Dense(128), new ReLU(), new Dense(classes)));
    }
}
