package org.panamacnn.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Optimizer;

/**
 * A model's state as one flat float vector, in a fixed order: every parameter, then every
 * buffer (batch-norm running statistics), then the optimizer's slots (by slot name) — what a
 * round broadcasts to workers and what averaging combines.
 */
final class ModelState {
    private ModelState() {}

    static List<Param> buffers(Sequential m) {
        List<Param> all = new ArrayList<>();
        for (Layer l : m.layers()) all.addAll(l.buffers());
        return all;
    }

    /** The optimizer's arrays for the model's parameters, slot names sorted (Map.of has no order). */
    static List<float[]> slots(Sequential m, Optimizer opt) {
        List<float[]> all = new ArrayList<>();
        for (Param p : m.params()) all.addAll(new TreeMap<>(opt.slots(p)).values());
        return all;
    }

    static int size(List<float[]> arrays) {
        int n = 0;
        for (float[] a : arrays) n += a.length;
        return n;
    }

    static List<float[]> values(List<Param> ps) {
        List<float[]> out = new ArrayList<>();
        for (Param p : ps) out.add(p.value().data());
        return out;
    }

    static List<float[]> grads(List<Param> ps) {
        List<float[]> out = new ArrayList<>();
        for (Param p : ps) out.add(p.grad().data());
        return out;
    }

    /** Concatenates the arrays into a new vector. */
    static float[] flatten(List<float[]> arrays) {
        float[] v = new float[size(arrays)];
        int at = 0;
        for (float[] a : arrays) {
            System.arraycopy(a, 0, v, at, a.length);
            at += a.length;
        }
        return v;
    }

    /** Copies v[from ..] into the arrays, in order; returns the offset after them. */
    static int unflatten(float[] v, int from, List<float[]> arrays) {
        for (float[] a : arrays) {
            System.arraycopy(v, from, a, 0, a.length);
            from += a.length;
        }
        return from;
    }

    /** sum[from ..] += scale × arrays, in double (so partial sums combine in any order to the same float). */
    static int accumulate(double[] sum, int from, List<float[]> arrays, double scale) {
        for (float[] a : arrays) {
            for (int i = 0; i < a.length; i++) sum[from + i] += scale * a[i];
            from += a.length;
        }
        return from;
    }
}
