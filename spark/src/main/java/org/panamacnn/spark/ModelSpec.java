package org.panamacnn.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.LayerSpec;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/** What a worker needs to rebuild the network: the input shape and each layer's spec (as model files keep it). */
record ModelSpec(int[] inputShape, List<String> layers) implements Serializable {
    static ModelSpec of(Sequential model) {
        List<String> specs = new ArrayList<>();
        for (Layer l : model.layers()) specs.add(l.spec());
        return new ModelSpec(model.inputShape().dims(), List.copyOf(specs));
    }

    /** A fresh model on one thread: on a cluster, Spark's tasks are the parallelism. */
    Sequential build() {
        List<Layer> built = new ArrayList<>();
        for (String s : layers) built.add(LayerSpec.parse(s));
        return new Sequential(Shape.of(inputShape), ParallelExecutor.SEQUENTIAL, built);
    }
}
