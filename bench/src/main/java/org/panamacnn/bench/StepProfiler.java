package org.panamacnn.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.panamacnn.cli.report.LayerProfile.Kind;
import org.panamacnn.cli.report.LayerProfile.Row;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Graph;
import org.panamacnn.nn.GroupedConv2d;
import org.panamacnn.nn.GeneralConv2d;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.MaxPool2d;
import org.panamacnn.nn.Residual;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.Step;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.Relu;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Tensor;

/**
 * Runs a model's training forward and backward as the model runs them, step by planned step, and
 * times each: the steps of the model itself, and inside a {@link Residual} or {@link Graph} the
 * steps of its paths or nodes, with the block's own work (the residual sum, a graph's merges and
 * the sums of gradients that reach a node from several consumers) and the block's total. It
 * calls the same step objects in the same order, and does the blocks' sums as the blocks do, in
 * the same order, so a profiled step computes the same bits as the model's own (StepProfilerTest).
 * Samples are kept per step index; {@link #rows} gives their medians.
 */
final class StepProfiler {
    /** The timings of one row: per-step samples of forward and backward, and the FLOPs counted for each. */
    static final class Timer {
        final String path, description;
        final int depth;
        final Kind kind;
        final long[] forward, backward;
        double forwardFlops, backwardFlops;

        Timer(String path, int depth, Kind kind, String description, int steps) {
            this.path = path;
            this.depth = depth;
            this.kind = kind;
            this.description = description;
            forward = new long[steps];
            backward = new long[steps];
        }

        Row row() {
            return new Row(path, depth, kind, description, median(forward), median(backward), forwardFlops, backwardFlops);
        }
    }

    /** A piece of the step that runs forward and backward; sample index s < 0 is not recorded (warm-up). */
    private interface Part {
        Tensor forward(Tensor x, int s);

        Tensor backward(Tensor g, boolean inputGradient, int s);
    }

    private final int steps;
    private final ParallelExecutor executor;
    private final List<Timer> timers = new ArrayList<>();
    private final Chain model;

    /** Plans the profiled run of a model's (a training state's) layers, keeping {@code steps} samples. */
    StepProfiler(Sequential layers, int steps) {
        this.steps = steps;
        this.executor = layers.executor();
        this.model = chain("", 0, layers.layers(), layers.steps());
    }

    /** The training forward of the whole model. */
    Tensor forward(Tensor x, int s) {
        return model.forward(x, s);
    }

    /** The backward of the whole model (no gradient for its input). */
    void backward(Tensor g, int s) {
        model.backward(g, false, s);
    }

    /** A new row that the caller times itself (the loss, the update). */
    Timer timer(String path, Kind kind, String description) {
        Timer t = new Timer(path, 0, kind, description, steps);
        timers.add(t);
        return t;
    }

    /** The medians of every row, in the order the steps run forward (a block's total before its parts). */
    List<Row> rows() {
        return timers.stream().map(Timer::row).toList();
    }

    static double median(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return s.length == 0 ? 0 : s[s.length / 2] / 1e3;
    }

    private Timer newTimer(String path, int depth, Kind kind, String description) {
        Timer t = new Timer(path, depth, kind, description, steps);
        timers.add(t);
        return t;
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /**
     * The steps of a chain of layers ({@link Fusion}'s plan of a model or a residual path): each
     * step is one of the layers, or a fused step that starts at a convolution and runs through the
     * max-pool after it. Rows are named by the step's first layer.
     */
    private Chain chain(String prefix, int depth, List<Layer> layers, List<Step> planned) {
        List<Part> parts = new ArrayList<>();
        int cursor = 0;
        for (int j = 0; j < planned.size(); j++) {
            Step step = planned.get(j);
            int first = cursor, end;
            if (step instanceof Layer l) {
                first = indexOf(layers, l, cursor, step);
                end = first + 1;
            } else {
                end = j + 1 < planned.size() && planned.get(j + 1) instanceof Layer next ? indexOf(layers, next, cursor, next) : poolAfter(layers, cursor, step);
            }
            parts.add(part(join(prefix, String.valueOf(first)), depth, step, layers.get(first)));
            cursor = end;
        }
        return new Chain(parts);
    }

    private static int indexOf(List<Layer> layers, Layer l, int from, Step step) {
        for (int i = from; i < layers.size(); i++) if (layers.get(i) == l) return i;
        throw new IllegalStateException("planned step '" + step.describe() + "' is not among the layers after " + from);
    }

    private static int poolAfter(List<Layer> layers, int from, Step step) {
        for (int i = from; i < layers.size(); i++) if (layers.get(i) instanceof MaxPool2d) return i + 1;
        throw new IllegalStateException("fused step '" + step.describe() + "' ends in no max-pool after layer " + from);
    }

    /** The part for one planned step whose first layer is {@code first}: a block to descend into, or a leaf. */
    private Part part(String path, int depth, Step step, Layer first) {
        if (step instanceof Residual r) return residual(path, depth, r);
        if (step instanceof Graph g) return graph(path, depth, g);
        return new Leaf(newTimer(path, depth, Kind.STEP, step.describe()), step, first);
    }

    private Part residual(String path, int depth, Residual r) {
        Timer block = newTimer(path, depth, Kind.BLOCK, r.describe() + ", total");
        Chain main = chain(path + ".main", depth + 1, r.main(), r.mainSteps());
        Chain shortcut = chain(path + ".shortcut", depth + 1, r.shortcut(), r.shortcutSteps());
        Timer add = newTimer(path + " (sum)", depth + 1, Kind.MERGE, r.rectifiesSum()
                ? "max(main + shortcut, 0), its mask, and the sum of the input gradients" : "the sum main + shortcut, and of their input gradients");
        return new ResidualPart(block, main, shortcut, add, r.rectifiesSum(), executor);
    }

    private Part graph(String path, int depth, Graph g) {
        Timer block = newTimer(path, depth, Kind.BLOCK, g.describe() + ", total");
        int n = g.nodes().size();
        Part[] parts = new Part[n];
        Timer[] merges = new Timer[n];
        for (int k = 0; k < n; k++) {
            Graph.Node node = g.nodes().get(k);
            String name = join(path, node.name());
            if (node.merge() != null) {
                merges[k] = newTimer(name, depth + 1, Kind.MERGE, node.merge().describe());
            } else if (g.plannedStep(k) != null) {
                parts[k] = part(name, depth + 1, g.plannedStep(k), node.layer());
            }
        }
        Timer sums = newTimer(path + " (gradient sums)", depth + 1, Kind.MERGE, "gradients that reach a node from several consumers, summed");
        return new GraphPart(block, g, parts, merges, sums, executor);
    }

    /** A planned step, timed; FLOPs counted for a convolution or dense layer (the first layer of a fused step). */
    private static final class Leaf implements Part {
        private final Timer timer;
        private final Step step;
        private final Layer first;

        Leaf(Timer timer, Step step, Layer first) {
            this.timer = timer;
            this.step = step;
            this.first = first;
        }

        @Override
        public Tensor forward(Tensor x, int s) {
            long a = System.nanoTime();
            Tensor y = step.forward(x, true);
            if (s >= 0) {
                timer.forward[s] = System.nanoTime() - a;
                if (s == 0) timer.forwardFlops = 2 * macs(first, x);
            }
            return y;
        }

        @Override
        public Tensor backward(Tensor g, boolean inputGradient, int s) {
            long a = System.nanoTime();
            Tensor dx = step.backward(g, inputGradient);
            if (s >= 0) {
                timer.backward[s] = System.nanoTime() - a;
                if (s == 0) timer.backwardFlops = timer.forwardFlops * (inputGradient ? 2 : 1);
            }
            return dx;
        }
    }

    /**
     * Multiply-adds of a convolution or dense layer's forward on input x (0 for other layers):
     * each output value is a dot product of (input channels / groups) · kernel² terms, or of the
     * input features.
     */
    static double macs(Layer layer, Tensor x) {
        int[] d = x.shape().dims();
        return switch (layer) {
            case Conv2d c -> (double) d[0] * c.outChannels() * outSize(d[2], c.kernel(), c.stride(), c.padding())
                    * outSize(d[3], c.kernel(), c.stride(), c.padding()) * c.inChannels() * c.kernel() * c.kernel();
            case GroupedConv2d c -> (double) d[0] * c.outChannels() * outSize(d[2], c.kernel(), c.stride(), c.padding())
                    * outSize(d[3], c.kernel(), c.stride(), c.padding()) * (c.inChannels() / c.groups()) * c.kernel() * c.kernel();
            case GeneralConv2d c -> (double) d[0] * c.outChannels() * c.geometry().outHeight(d[2]) * c.geometry().outWidth(d[3])
                    * c.inChannels() * c.geometry().kh() * c.geometry().kw();
            case Dense f -> (double) d[0] * f.inFeatures() * f.outFeatures();
            default -> 0;
        };
    }

    private static int outSize(int in, int kernel, int stride, int padding) {
        return (in + 2 * padding - kernel) / stride + 1;
    }

    /** Parts one after another; backward asks each but the first for its input gradient, the first only if asked. */
    private record Chain(List<Part> parts) implements Part {
        @Override
        public Tensor forward(Tensor x, int s) {
            Tensor t = x;
            for (Part p : parts) t = p.forward(t, s);
            return t;
        }

        @Override
        public Tensor backward(Tensor g, boolean inputGradient, int s) {
            Tensor t = g;
            for (int i = parts.size() - 1; i >= 0; i--) t = parts.get(i).backward(t, i > 0 || inputGradient, s);
            return t;
        }
    }

    /**
     * Residual's forward and backward: y = main(x) + shortcut(x), or max(main(x) + shortcut(x), 0)
     * when the ReLU after the block is done in its sum; backward masks δy with 1[y > 0] in that
     * case, runs both paths on it and sums their input gradients. The sums are one pass each over
     * the batch's chunks, in parallel, as the block does them.
     */
    private static final class ResidualPart implements Part {
        private final Timer block, add;
        private final Chain main, shortcut;
        private final boolean rectify;
        private final ParallelExecutor executor;
        private BatchBuffer output, inputGrad, maskedGrad;
        /** The last forward's output: backward's mask when the sum is rectified. */
        private Tensor y;
        private final IntConsumer sumTask = this::sumChunk, maskTask = this::maskChunk;
        private float[] taskA, taskB, taskOut;
        private int taskBatch, taskCount, taskPer;
        private boolean taskRectify;

        ResidualPart(Timer block, Chain main, Chain shortcut, Timer add, boolean rectify, ParallelExecutor executor) {
            this.block = block;
            this.main = main;
            this.shortcut = shortcut;
            this.add = add;
            this.rectify = rectify;
            this.executor = executor;
        }

        @Override
        public Tensor forward(Tensor x, int s) {
            long a = System.nanoTime();
            Tensor m = main.forward(x, s), sc = shortcut.forward(x, s);
            long b = System.nanoTime();
            if (output == null) output = new BatchBuffer(m.shape().dropFirst());
            y = output.get(x.batch());
            taskRectify = rectify;
            run(sumTask, m.data(), sc.data(), y.data(), x.batch(), y.size() / x.batch());
            if (s >= 0) {
                long e = System.nanoTime();
                add.forward[s] = e - b;
                block.forward[s] = e - a;
            }
            return y;
        }

        @Override
        public Tensor backward(Tensor g, boolean inputGradient, int s) {
            long a = System.nanoTime(), masking = 0;
            int batch = g.batch();
            Tensor masked = g;
            if (rectify) {
                if (maskedGrad == null) maskedGrad = new BatchBuffer(g.shape().dropFirst());
                masked = maskedGrad.get(batch);
                run(maskTask, g.data(), y.data(), masked.data(), batch, g.size() / batch);
                masking = System.nanoTime() - a;
            }
            Tensor gm = main.backward(masked, true, s), gs = shortcut.backward(masked, true, s);
            Tensor dx = null;
            long b = System.nanoTime();
            if (inputGradient) {
                if (inputGrad == null) inputGrad = new BatchBuffer(gm.shape().dropFirst());
                dx = inputGrad.get(batch);
                taskRectify = false;
                run(sumTask, gm.data(), gs.data(), dx.data(), batch, dx.size() / batch);
            }
            if (s >= 0) {
                long e = System.nanoTime();
                add.backward[s] = masking + e - b;
                block.backward[s] = e - a;
            }
            return dx;
        }

        private void run(IntConsumer task, float[] a, float[] b, float[] out, int batch, int per) {
            taskPer = per;
            taskA = a;
            taskB = b;
            taskOut = out;
            taskBatch = batch;
            taskCount = BatchChunks.count(batch);
            executor.forEach(taskCount, task);
            taskA = taskB = taskOut = null;
        }

        private void sumChunk(int c) {
            int per = taskPer, from = BatchChunks.start(c, taskCount, taskBatch) * per;
            int n = BatchChunks.start(c + 1, taskCount, taskBatch) * per - from;
            if (taskRectify) Relu.forwardOfSum(n, taskA, from, taskB, from, taskOut, from);
            else Blas1.addInto(n, taskA, from, taskB, from, taskOut, from);
        }

        /** taskOut = taskA (δy) ⊙ 1[taskB (y) > 0] for chunk c. */
        private void maskChunk(int c) {
            int per = taskPer, from = BatchChunks.start(c, taskCount, taskBatch) * per;
            int n = BatchChunks.start(c + 1, taskCount, taskBatch) * per - from;
            Relu.backwardFromOutput(n, taskA, from, taskB, from, taskOut, from);
        }
    }

    /**
     * Graph's forward and backward: nodes in order, then in reverse, summing the gradients that
     * reach a node from several consumers in reverse node order, the first by reference and the
     * others into the node's own buffer, split over the images as the graph splits them.
     */
    private static final class GraphPart implements Part {
        private final Timer block, sums;
        private final Graph graph;
        private final Part[] parts;
        private final Timer[] merges;
        private final ParallelExecutor executor;
        private final Tensor[] values, grads;
        private final Tensor[][] mergeIn, mergeGrad;
        private final int[][] inputs; // node k's input nodes, −1 for the graph's input
        private final BatchBuffer[] own;
        private final IntConsumer sumTask = this::sumChunk;
        private Tensor taskOut, taskFirst, taskAddend;
        private int taskCount;

        GraphPart(Timer block, Graph graph, Part[] parts, Timer[] merges, Timer sums, ParallelExecutor executor) {
            this.block = block;
            this.graph = graph;
            this.parts = parts;
            this.merges = merges;
            this.sums = sums;
            this.executor = executor;
            int n = parts.length;
            values = new Tensor[n + 1];
            grads = new Tensor[n + 1];
            mergeIn = new Tensor[n][];
            mergeGrad = new Tensor[n][];
            own = new BatchBuffer[n + 1];
            inputs = new int[n][];
            for (int k = 0; k < n; k++) {
                inputs[k] = graph.inputsOf(k);
                if (merges[k] != null) {
                    mergeIn[k] = new Tensor[inputs[k].length];
                    mergeGrad[k] = new Tensor[mergeIn[k].length];
                }
            }
        }

        @Override
        public Tensor forward(Tensor x, int s) {
            long a = System.nanoTime();
            values[0] = x;
            for (int k = 0; k < parts.length; k++) {
                int[] in = inputs[k];
                if (merges[k] == null) {
                    if (parts[k] != null) values[graph.plannedOutput(k) + 1] = parts[k].forward(values[in[0] + 1], s);
                } else {
                    for (int i = 0; i < in.length; i++) mergeIn[k][i] = values[in[i] + 1];
                    long b = System.nanoTime();
                    values[k + 1] = graph.nodes().get(k).merge().forward(mergeIn[k]);
                    if (s >= 0) merges[k].forward[s] = System.nanoTime() - b;
                }
            }
            Tensor y = values[parts.length];
            Arrays.fill(values, null);
            if (s >= 0) block.forward[s] = System.nanoTime() - a;
            return y;
        }

        @Override
        public Tensor backward(Tensor g, boolean inputGradient, int s) {
            long a = System.nanoTime(), summing = 0;
            Arrays.fill(grads, null);
            grads[parts.length] = g;
            for (int k = parts.length - 1; k >= 0; k--) {
                int[] in = inputs[k];
                if (merges[k] == null) {
                    if (parts[k] == null) continue;
                    boolean needed = in[0] >= 0 || inputGradient;
                    Tensor dx = parts[k].backward(grads[graph.plannedOutput(k) + 1], needed, s);
                    if (needed) summing += accumulate(in[0] + 1, dx);
                } else {
                    long b = System.nanoTime();
                    graph.nodes().get(k).merge().backward(grads[k + 1], mergeGrad[k]);
                    if (s >= 0) merges[k].backward[s] = System.nanoTime() - b;
                    for (int i = 0; i < in.length; i++) if (in[i] >= 0 || inputGradient) summing += accumulate(in[i] + 1, mergeGrad[k][i]);
                }
            }
            Tensor dx = inputGradient ? grads[0] : null;
            Arrays.fill(grads, null);
            if (s >= 0) {
                sums.backward[s] = summing;
                block.backward[s] = System.nanoTime() - a;
            }
            return dx;
        }

        /** grads[slot] += g as Graph does it; returns the nanoseconds a sum took (0 for the first gradient, kept by reference). */
        private long accumulate(int slot, Tensor g) {
            Tensor sum = grads[slot];
            if (sum == null) {
                grads[slot] = g;
                return 0;
            }
            long a = System.nanoTime();
            if (own[slot] == null) own[slot] = new BatchBuffer(g.shape().dropFirst());
            Tensor out = own[slot].get(g.batch());
            taskOut = out;
            taskFirst = sum == out ? null : sum;
            taskAddend = g;
            taskCount = BatchChunks.count(g.batch());
            executor.forEach(taskCount, sumTask);
            taskFirst = taskAddend = null;
            grads[slot] = out;
            return System.nanoTime() - a;
        }

        private void sumChunk(int c) {
            int batch = taskOut.batch(), per = taskOut.size() / batch;
            int from = BatchChunks.start(c, taskCount, batch) * per, n = BatchChunks.start(c + 1, taskCount, batch) * per - from;
            float[] out = taskOut.data();
            if (taskFirst != null) System.arraycopy(taskFirst.data(), from, out, from, n);
            Blas1.add(n, taskAddend.data(), from, out, from);
        }
    }
}
