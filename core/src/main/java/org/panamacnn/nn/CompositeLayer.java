package org.panamacnn.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A layer made of child layers ({@link Residual}, {@link Graph}): its parameters and buffers are
 * its children's, in order, named "child.name" as PyTorch names a module's children's tensors,
 * and each child draws its initial values from its own split of the random stream.
 */
abstract class CompositeLayer implements Layer {
    /** The child layers in order, by the prefix that names their tensors (e.g. "main.0", "b1"). */
    abstract Map<String, Layer> children();

    @Override
    public void initialize(SplittableRandom random) {
        for (Layer l : children().values()) l.initialize(random.split());
    }

    @Override
    public void reseed(SplittableRandom random) {
        for (Layer l : children().values()) l.reseed(random.split());
    }

    @Override
    public List<Param> params() {
        return collect(true);
    }

    @Override
    public List<Param> buffers() {
        return collect(false);
    }

    private List<Param> collect(boolean params) {
        List<Param> all = new ArrayList<>();
        for (Layer l : children().values()) all.addAll(params ? l.params() : l.buffers());
        return Collections.unmodifiableList(all);
    }

    @Override
    public Map<String, Param> namedParams() {
        return named(true);
    }

    @Override
    public Map<String, Param> namedBuffers() {
        return named(false);
    }

    private Map<String, Param> named(boolean params) {
        Map<String, Param> all = new LinkedHashMap<>();
        for (Map.Entry<String, Layer> child : children().entrySet()) {
            Map<String, Param> inner = params ? child.getValue().namedParams() : child.getValue().namedBuffers();
            for (Map.Entry<String, Param> e : inner.entrySet()) all.put(child.getKey() + "." + e.getKey(), e.getValue());
        }
        return all;
    }
}
