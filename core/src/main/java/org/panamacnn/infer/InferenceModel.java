package org.panamacnn.infer;

import java.util.ArrayList;
import java.util.List;
import org.panamacnn.nn.AdaptiveAvgPool2d;
import org.panamacnn.nn.AvgPool2d;
import org.panamacnn.nn.BatchNorm2d;
import org.panamacnn.nn.ChannelAffine;
import org.panamacnn.nn.ChannelDivide;
import org.panamacnn.nn.Conv2d;
import org.panamacnn.nn.GlobalAvgPool2d;
import org.panamacnn.nn.Graph;
import org.panamacnn.nn.GroupedConv2d;
import org.panamacnn.nn.GeneralConv2d;
import org.panamacnn.nn.GroupNorm;
import org.panamacnn.nn.LayerNorm2d;
import org.panamacnn.nn.Dense;
import org.panamacnn.nn.Dropout;
import org.panamacnn.nn.EngineOptions;
import org.panamacnn.nn.Flatten;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.LeakyReLU;
import org.panamacnn.nn.MaxPool2d;
import org.panamacnn.nn.Multiply;
import org.panamacnn.nn.PointwiseActivation;
import org.panamacnn.nn.ReLU;
import org.panamacnn.nn.Residual;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.SmoothActivation;
import org.panamacnn.nn.WindowPool2d;
import org.panamacnn.simd.ConvGeometry;
import org.panamacnn.simd.ConvWeights;
import org.panamacnn.simd.PixelMap;
import org.panamacnn.simd.Pointwise;
import org.panamacnn.simd.TaskRunner;
import org.panamacnn.tensor.Shape;

/**
 * A trained model prepared for inference: immutable, so any number of threads share one. Built
 * by a planning pass over the layers that (1) snapshots and packs every weight once, in the
 * layout its kernel reads (no packing per call); (2) fuses each ReLU into the convolution or
 * dense layer before it, and a non-overlapping max-pool into the convolution before it (the
 * unpooled activation stays in cache); (3) lays images out NHWC with a zero border as wide as
 * the next convolution's padding, written in place by the step before, so no step pads or
 * lowers (im2col) anything; a dense layer after a flatten reads the NHWC features directly, its
 * weight columns permuted once to match PyTorch's NCHW flatten order. Everything a call writes
 * is in a {@link Workspace}.
 */
public final class InferenceModel {
    private final Shape inputShape;
    private final int classes, outSlot, outStride, scratchFloats, indexScratch;
    private final Op[] ops;
    private final int[] bufferFloats;
    private final long weightFloats;
    private final String plan;

    private InferenceModel(Shape inputShape, int classes, Op[] ops, int[] bufferFloats, int outSlot, int outStride,
                           long weightFloats, String plan) {
        this.inputShape = inputShape;
        this.classes = classes;
        this.ops = ops;
        this.bufferFloats = bufferFloats;
        this.outSlot = outSlot;
        this.outStride = outStride;
        this.weightFloats = weightFloats;
        this.plan = plan;
        int s = 0, ix = 0;
        for (Op op : ops) {
            s = Math.max(s, op.scratchFloats());
            ix = Math.max(ix, op.indexScratch());
        }
        this.scratchFloats = s;
        this.indexScratch = ix;
    }

    /**
     * Plans inference for the model with its current weights (a snapshot: training the model
     * further does not change this one), with the engine options the model was built with.
     *
     * @throws IllegalArgumentException if the model does not end in [classes] outputs, or has a layer inference does not support
     */
    public static InferenceModel compile(Sequential model) {
        return compile(model, model.options());
    }

    /** {@link #compile(Sequential)} with the given engine options (e.g. Winograd off for a comparison). */
    public static InferenceModel compile(Sequential model, EngineOptions options) {
        return new Planner(model, options).plan();
    }

    /** A workspace for batches of up to capacity images, for calls spread over at most maxTasks tasks. */
    public Workspace newWorkspace(int capacity, int maxTasks) {
        if (capacity < 1) throw new IllegalArgumentException("workspace capacity must be at least 1, got " + capacity);
        if (maxTasks < 1) throw new IllegalArgumentException("task count must be at least 1, got " + maxTasks);
        return new Workspace(this, capacity, maxTasks);
    }

    /** Where a call's input goes: batch images laid out as [batch, input shape...] from offset 0. */
    public float[] input(Workspace ws) {
        return ws.buffer(0);
    }

    /**
     * Runs the model on the first batch images of {@link #input(Workspace)}; the logits of image n
     * are then at {@link #output(Workspace)}[n·{@link #outputStride()} ..] (classes values). Reads
     * the weights, writes only ws; spreads each step over the runner's threads.
     */
    public void forward(Workspace ws, int batch, TaskRunner runner) {
        if (ws.model() != this) throw new IllegalArgumentException("the workspace was planned for another model");
        if (batch < 1 || batch > ws.capacity()) {
            throw new IllegalArgumentException("batch " + batch + " is outside 1.." + ws.capacity() + ", the workspace's capacity");
        }
        int parallelism = Math.min(runner.parallelism(), ws.maxTasks());
        ws.begin(batch, parallelism);
        for (Op op : ops) ws.run(op, op.tasks(batch, parallelism), runner);
    }

    public float[] output(Workspace ws) {
        return ws.buffer(outSlot);
    }

    public int outputStride() {
        return outStride;
    }

    public Shape inputShape() {
        return inputShape;
    }

    public int classes() {
        return classes;
    }

    /** Floats of packed weights held (once, whatever the number of threads). */
    public long weightFloats() {
        return weightFloats;
    }

    /** The steps the planner chose, one per line. */
    public String plan() {
        return plan;
    }

    int[] bufferFloats() {
        return bufferFloats.clone();
    }

    int scratchFloats() {
        return scratchFloats;
    }

    int indexScratch() {
        return indexScratch;
    }

    /**
     * Dense weights of at least this many floats (64 MB) are packed from the model's array, not from
     * a copy permuted to the NHWC flatten order; their input is reordered per call instead.
     */
    static final long LARGE_DENSE_FLOATS = 1L << 24;

    /** The planning pass: walks the layers, tracking the layout of the current activation. */
    private static final class Planner {
        private final Sequential model;
        /** The list being walked: the model's layers, or a residual block's path. */
        private List<Layer> layers;
        /** The border wanted after the last layer of `layers` (by what follows the list). */
        private int tail;
        private final List<Op> ops = new ArrayList<>();
        private final List<Integer> buffers = new ArrayList<>();
        private final StringBuilder plan = new StringBuilder();
        private long weightFloats;
        /** The current activation: its buffer, and either an NHWC image or flat features. */
        private int slot, c, h, w, pad, cs, features, stride;
        private boolean image, raw, nhwcOrder; // raw: NCHW input as given; nhwcOrder: flat features in NHWC order

        private final EngineOptions options;

        Planner(Sequential model, EngineOptions options) {
            this.model = model;
            this.options = options;
            this.layers = model.layers();
            Shape in = model.inputShape();
            slot = newBuffer(in.size());
            if (in.rank() == 3) {
                raw = true;
                c = in.dim(0);
                h = in.dim(1);
                w = in.dim(2);
            } else if (in.rank() == 1) {
                features = stride = in.dim(0);
            } else {
                throw new IllegalArgumentException("inference takes [channels, height, width] or [features] inputs, not " + in);
            }
        }

        private int newBuffer(int floats) {
            buffers.add(floats);
            return buffers.size() - 1;
        }

        /** Plans every layer of list, in order; the last one leaves a border of `tailBorder` for what follows. */
        private void walk(List<Layer> list, int tailBorder) {
            List<Layer> outer = layers;
            int outerTail = tail;
            layers = list;
            tail = tailBorder;
            for (int i = 0; i < layers.size(); ) {
                Layer l = layers.get(i);
                try {
                    i = step(l, i);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("layer " + i + " (" + l.describe() + "): " + e.getMessage(), e);
                }
            }
            layers = outer;
            tail = outerTail;
        }

        /** The current activation's layout, to come back to (a residual block's input, for its second path). */
        private record State(int slot, int c, int h, int w, int pad, int cs, int features, int stride, boolean image,
                             boolean raw, boolean nhwcOrder) {}

        private State state() {
            return new State(slot, c, h, w, pad, cs, features, stride, image, raw, nhwcOrder);
        }

        private void restore(State s) {
            slot = s.slot;
            c = s.c;
            h = s.h;
            w = s.w;
            pad = s.pad;
            cs = s.cs;
            features = s.features;
            stride = s.stride;
            image = s.image;
            raw = s.raw;
            nhwcOrder = s.nhwcOrder;
        }

        /** y = main(x) + shortcut(x): both paths planned from x's buffer, then an add into a new one. */
        private int residual(Residual r, int i) {
            requireImage(borderFor(i));
            State x = state();
            if (writesInPlace(r.main().get(0))) copyToNewBuffer(); // x must survive for the shortcut
            walk(r.main(), 0);
            State m = state();
            restore(x);
            walk(r.shortcut(), 0);
            State s = state();
            if (!m.image || !s.image || m.c != s.c || m.h != s.h || m.w != s.w) {
                throw new IllegalArgumentException("residual paths must both end in images of the same shape");
            }
            int border = borderFor(i + 1);
            PixelMap out = PixelMap.nhwc(m.h, m.w, border, m.cs);
            int outSlot = newBuffer(out.perImage());
            ops.add(new AddOp(m.slot, PixelMap.nhwc(m.h, m.w, m.pad, m.cs), s.slot, PixelMap.nhwc(s.h, s.w, s.pad, s.cs),
                    outSlot, out, m.h, m.w, m.c));
            plan.append("add (residual) → NHWC ").append(m.h).append('×').append(m.w).append('×').append(m.c).append('\n');
            restore(m);
            slot = outSlot;
            pad = border;
            return i + 1;
        }

        private static boolean writesInPlace(Layer l) {
            return l instanceof ReLU || l instanceof LeakyReLU || l instanceof BatchNorm2d || l instanceof PointwiseActivation
                    || l instanceof SmoothActivation || l instanceof ChannelAffine || l instanceof ChannelDivide;
        }

        /** Moves the current activation to a buffer of its own (the old one must survive an in-place step). */
        private void copyToNewBuffer() {
            PixelMap map = image ? PixelMap.nhwc(h, w, pad, cs) : PixelMap.nhwc(1, 1, 0, stride);
            int copy = newBuffer(map.perImage());
            ops.add(image ? new AddOp(slot, map, -1, map, copy, map, h, w, cs) : new AddOp(slot, map, -1, map, copy, map, 1, 1, stride));
            plan.append("copy (the input of an in-place step is read again)\n");
            slot = copy;
        }

        InferenceModel plan() {
            walk(layers, 0);
            if (image || raw) throw new IllegalArgumentException("inference needs a model ending in [classes] outputs, not " + model.outputShape());
            if (nhwcOrder) toChw();
            int[] sizes = buffers.stream().mapToInt(Integer::intValue).toArray();
            return new InferenceModel(model.inputShape(), features, ops.toArray(Op[]::new), sizes, slot, stride,
                    weightFloats, plan.toString());
        }

        /** Plans layer i (and the layers fused into it); returns the index of the next layer. */
        private int step(Layer l, int i) {
            if (l instanceof Conv2d conv) return conv(conv, i);
            if (l instanceof GroupedConv2d conv) return groupedConv(conv, i);
            if (l instanceof GeneralConv2d conv) return generalConv(conv, i);
            if (l instanceof MaxPool2d mp) {
                return mp.padding() > 0 ? paddedMaxPool(mp, i) : pool(mp.describe(), mp.window(), mp.window(), mp.stride(), mp.stride(), false, i);
            }
            if (l instanceof WindowPool2d wp) return windowPool(wp, i);
            if (l instanceof AdaptiveAvgPool2d ap) return adaptivePool(ap, i);
            if (l instanceof org.panamacnn.nn.ConvTranspose2d ct) return convTranspose(ct, i);
            if (l instanceof org.panamacnn.nn.Upsample2d up) return upsample(up, i);
            if (l instanceof GroupNorm || l instanceof LayerNorm2d) return sampleNorm(l, i);
            if (l instanceof AvgPool2d ap) {
                int[] k = ap.window();
                return pool(ap.describe(), k[0], k[1], k[2], k[3], true, i);
            }
            if (l instanceof GlobalAvgPool2d) {
                requireImage(0);
                return pool(l.describe(), h, w, h, w, true, i);
            }
            if (l instanceof ReLU) {
                ops.add(ActivationOp.relu(slot, buffers.get(slot)));
                plan.append("relu (in place)\n");
                return i + 1;
            }
            if (l instanceof Dropout) return i + 1; // the identity in evaluation
            if (l instanceof Residual r) return residual(r, i);
            if (l instanceof Graph g) return graph(g, i);
            if (l instanceof BatchNorm2d bn) {
                requireImage(0);
                float[] scale = new float[c], shift = new float[c];
                for (int ch = 0; ch < c; ch++) {
                    double a = bn.evalScale(ch);
                    scale[ch] = (float) a;
                    shift[ch] = (float) (bn.bias().value().get(ch) - bn.runningMean()[ch] * a);
                }
                ops.add(new ChannelAffineOp(slot, PixelMap.nhwc(h, w, pad, cs), h, w, c, scale, shift));
                plan.append(bn.describe()).append(" (in place)\n");
                return i + 1;
            }
            if (l instanceof PointwiseActivation act) return pointwise(act, i);
            if (l instanceof SmoothActivation act) return inPlace(act, i);
            if (l instanceof ChannelAffine affine) return inPlace(affine, i);
            if (l instanceof ChannelDivide divide) return inPlace(divide, i);
            if (l instanceof LeakyReLU leaky) {
                ops.add(ActivationOp.leakyRelu(slot, buffers.get(slot), leaky.slope()));
                plan.append(leaky.describe()).append(" (in place)\n");
                return i + 1;
            }
            if (l instanceof Flatten) {
                if (image) {
                    if (pad != 0) throw new IllegalStateException("a flattened image must have no border");
                    features = c * h * w;
                    stride = buffers.get(slot);
                    nhwcOrder = true;
                    image = false;
                } else if (raw) {
                    features = stride = c * h * w;
                    raw = false;
                }
                return i + 1;
            }
            if (l instanceof Dense d) return dense(d, i);
            throw new IllegalArgumentException("inference does not support this layer");
        }

        private boolean is(int i, Class<?> type) {
            return i < layers.size() && type.isInstance(layers.get(i));
        }

        private int borderFor(int i) {
            return borderFor(layers, i, tail);
        }

        /**
         * The zero border the layer at index i of list wants around its input: a convolution's
         * padding, or the larger of a residual block's two paths'. Layers that run in place
         * over the interior (ReLU, leaky ReLU, batch norm, dropout) pass the border on.
         */
        private static int borderFor(List<Layer> list, int i, int tail) {
            while (i < list.size() && (writesInPlace(list.get(i)) || list.get(i) instanceof Dropout)) i++;
            if (i >= list.size()) return tail;
            if (list.get(i) instanceof Conv2d next) return next.padding();
            if (list.get(i) instanceof GroupedConv2d next) return next.padding();
            if (list.get(i) instanceof GeneralConv2d next) return next.geometry().maxPadding();
            if (list.get(i) instanceof Residual r) return Math.max(borderFor(r.main(), 0, 0), borderFor(r.shortcut(), 0, 0));
            if (list.get(i) instanceof Graph g) return borderWanted(g, -1, borderFor(list, i + 1, tail));
            return 0;
        }

        /**
         * The border node k's output must have (k = −1: the graph's input): the largest any of its
         * readers wants, `tail` for the graph's output. An in-place reader passes on what its own readers want.
         */
        private static int borderWanted(Graph g, int k, int tail) {
            return bordersWanted(g, tail)[k + 1];
        }

        /**
         * {@link #borderWanted} for every node at once (index k + 1; 0: the graph's input), in one
         * pass from the output back: nodes only read nodes before them, so every reader's own
         * figure is known when a node's is computed. A loop, not a recursion: a chain of 10⁵
         * in-place nodes must not overflow the stack.
         */
        private static int[] bordersWanted(Graph g, int tail) {
            int n = g.nodes().size();
            int[] wanted = new int[n + 1];
            wanted[n] = tail;
            for (int j = n - 1; j >= 0; j--) {
                Layer l = g.nodes().get(j).layer();
                if (l == null) continue; // a merge reads any border
                int want = writesInPlace(l) || l instanceof Dropout ? wanted[j + 1] : borderFor(List.of(l), 0, 0);
                for (int in : g.inputsOf(j)) wanted[in + 1] = Math.max(wanted[in + 1], want);
            }
            return wanted;
        }

        /**
         * A graph: its nodes in order, each run of layers that feed only each other (a chain)
         * planned as a list, so the chain fusions apply; merges read their inputs' layouts and
         * write a new buffer. A chain that starts in place on an activation others read starts
         * with a copy.
         */
        private int graph(Graph g, int i) {
            int n = g.nodes().size(), after = borderFor(i + 1);
            int[] wanted = bordersWanted(g, after);
            if (raw) requireImage(wanted[0]);
            State[] out = new State[n + 1]; // out[k + 1]: node k's output; out[0]: the graph's input
            out[0] = state();
            boolean[] planned = new boolean[n];
            for (int k = 0; k < n; k++) {
                if (planned[k]) continue;
                Graph.Node node = g.nodes().get(k);
                int[] in = g.inputsOf(k);
                if (node.layer() == null) {
                    merge(node, in, out, wanted[k + 1]);
                    out[k + 1] = state();
                    planned[k] = true;
                    continue;
                }
                List<Layer> chain = new ArrayList<>();
                int last = k;
                for (int j = k; j >= 0 && g.nodes().get(j).layer() != null; j = g.soleConsumer(j)) {
                    chain.add(g.nodes().get(j).layer());
                    planned[j] = true;
                    last = j;
                }
                restore(out[in[0] + 1]);
                if (g.consumerCount(in[0]) > 1 && (writesInPlace(chain.getFirst()) || chain.getFirst() instanceof Dropout && chain.size() > 1
                        && writesInPlace(chain.get(1)))) {
                    copyToNewBuffer();
                }
                try {
                    walk(chain, wanted[last + 1]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("node '" + node.name() + "', " + e.getMessage(), e);
                }
                out[last + 1] = state();
            }
            restore(out[n]);
            return i + 1;
        }

        /**
         * a ⊙ b of two images of one size, or of an image and a 1×1 image of per-channel scales
         * (either way round), into a new buffer with the border its readers want.
         */
        private void multiply(Graph.Node node, State a, State b, int border) {
            if (!a.image || !b.image) throw new IllegalArgumentException("node '" + node.name() + "': mul needs two images here");
            State x = a, s = b;
            if (a.h == 1 && a.w == 1 && (b.h != 1 || b.w != 1)) {
                x = b;
                s = a;
            }
            boolean scale = s.h != x.h || s.w != x.w;
            if (s.c != x.c || scale && (s.h != 1 || s.w != 1)) {
                throw new IllegalArgumentException("node '" + node.name() + "': mul of " + x.c + "×" + x.h + "×" + x.w + " and "
                        + s.c + "×" + s.h + "×" + s.w);
            }
            PixelMap map = PixelMap.nhwc(x.h, x.w, border, x.cs);
            int outSlot = newBuffer(map.perImage());
            ops.add(new MulOp(x.slot, PixelMap.nhwc(x.h, x.w, x.pad, x.cs), s.slot, PixelMap.nhwc(s.h, s.w, s.pad, s.cs), scale,
                    outSlot, map, x.h, x.w, x.c));
            plan.append("mul").append(scale ? " (per-channel scale)" : "").append(" (node '").append(node.name()).append("') → NHWC ")
                    .append(x.h).append('×').append(x.w).append('×').append(x.c).append(", border ").append(border).append('\n');
            restore(x);
            slot = outSlot;
            pad = border;
        }

        /** An add or concat of image activations into a new buffer with the border its readers want. */
        private void merge(Graph.Node node, int[] in, State[] out, int border) {
            State first = out[in[0] + 1];
            if (!first.image && !first.raw) {
                flatMerge(node, in, out);
                return;
            }
            if (node.merge() instanceof Multiply) {
                multiply(node, out[in[0] + 1], out[in[1] + 1], border);
                return;
            }
            int channels = 0;
            for (int j : in) {
                State s = out[j + 1];
                if (!s.image) throw new IllegalArgumentException("node '" + node.name() + "': cannot merge an image with flat features");
                if (s.h != first.h || s.w != first.w) throw new IllegalArgumentException("node '" + node.name() + "': inputs of different sizes");
                channels += s.c;
            }
            boolean add = node.merge() instanceof org.panamacnn.nn.Add;
            int outC = add ? first.c : channels, outCs = add ? first.cs : channels;
            PixelMap map = PixelMap.nhwc(first.h, first.w, border, outCs);
            int outSlot = newBuffer(map.perImage());
            int[] slots = new int[in.length], counts = new int[in.length];
            PixelMap[] maps = new PixelMap[in.length];
            for (int j = 0; j < in.length; j++) {
                State s = out[in[j] + 1];
                slots[j] = s.slot;
                counts[j] = s.c;
                maps[j] = PixelMap.nhwc(s.h, s.w, s.pad, s.cs);
            }
            addMergeOps(add, slots, maps, counts, outSlot, map, first.h, first.w);
            plan.append(add ? "add" : "concat").append(" (node '").append(node.name()).append("') → NHWC ").append(first.h).append('×')
                    .append(first.w).append('×').append(outC).append(", border ").append(border).append('\n');
            restore(first);
            slot = outSlot;
            c = outC;
            cs = outCs;
            pad = border;
        }

        /** Makes the current activation an NHWC image with a border of at least `border`. */
        private void requireImage(int border) {
            if (raw) {
                PixelMap map = PixelMap.nhwc(h, w, border, c);
                int out = newBuffer(map.perImage());
                ops.add(new InputOp(slot, out, c, h, w, map));
                plan.append("input NCHW → NHWC, border ").append(border).append('\n');
                slot = out;
                cs = c;
                pad = border;
                raw = false;
                image = true;
            }
            if (!image) throw new IllegalArgumentException("needs an image input");
            if (pad < border) throw new IllegalArgumentException("input border " + pad + " < padding " + border);
        }

        private int conv(Conv2d conv, int i) {
            return denseConv(conv.describe(), conv.inChannels(), conv.outChannels(), conv.kernel(), conv.stride(), conv.padding(),
                    conv.weight().value().toArray(), conv.bias().value().toArray(), i);
        }

        /**
         * A grouped convolution: a depthwise one (groups = input = output channels) by its own
         * kernel, with a following batch norm folded and ReLU / clip fused; any other grouping as
         * the dense convolution whose weight is zero outside the groups' diagonal blocks.
         */
        private int groupedConv(GroupedConv2d conv, int i) {
            int cin = conv.inChannels(), cout = conv.outChannels(), g = conv.groups(), k = conv.kernel();
            float[] wt = conv.weight().value().toArray(), bias = conv.bias().value().toArray();
            if (g != cin || cout != cin) {
                int cinG = cin / g, coutG = cout / g, kk = k * k;
                float[] dense = new float[Math.multiplyExact(cout, cin * kk)];
                for (int co = 0; co < cout; co++) {
                    System.arraycopy(wt, co * cinG * kk, dense, (co * cin + co / coutG * cinG) * kk, cinG * kk);
                }
                return denseConv(conv.describe(), cin, cout, k, conv.stride(), conv.padding(), dense, bias, i);
            }
            requireImage(conv.padding());
            int s = conv.stride(), p = conv.padding();
            int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1, next = foldBatchNorm(wt, bias, cout, i + 1);
            boolean bn = next > i + 1;
            float lo = Float.NEGATIVE_INFINITY, hi = Float.POSITIVE_INFINITY;
            String act = "";
            if (is(next, ReLU.class)) {
                lo = 0f;
                act = " + ReLU";
                next++;
            } else if (is(next, PointwiseActivation.class) && ((PointwiseActivation) layers.get(next)).kind() == Pointwise.Kind.CLIP) {
                PointwiseActivation clip = (PointwiseActivation) layers.get(next);
                lo = clip.a();
                hi = clip.b();
                act = " + " + clip.describe();
                next++;
            }
            int border = borderFor(next);
            PixelMap in = PixelMap.nhwc(h, w, pad, cs), out = PixelMap.nhwc(oh, ow, border, cs);
            int outSlot = newBuffer(out.perImage());
            DepthwiseConvOp op = new DepthwiseConvOp(slot, in, wt, bias, cout, cs, k, s, p, lo, hi, oh, ow, outSlot, out);
            weightFloats += op.weightFloats();
            ops.add(op);
            plan.append(conv.describe()).append(" depthwise").append(bn ? " + batch norm (folded)" : "").append(act)
                    .append(" → NHWC ").append(oh).append('×').append(ow).append('×').append(cout).append(", border ").append(border).append('\n');
            slot = outSlot;
            h = oh;
            w = ow;
            pad = border;
            return next;
        }

        /**
         * Folds a batch norm at index next, if there is one, into the weights [cout, ...] and bias of
         * the convolution before it: W' = W·a, b' = (b − running mean)·a + β, a = γ/√(running var + ε).
         * Returns the index after it.
         */
        private int foldBatchNorm(float[] wt, float[] bias, int cout, int next) {
            if (!is(next, BatchNorm2d.class)) return next;
            BatchNorm2d bn = (BatchNorm2d) layers.get(next);
            int per = wt.length / cout;
            for (int co = 0; co < cout; co++) {
                double a = bn.evalScale(co);
                for (int q = 0; q < per; q++) wt[co * per + q] = (float) (wt[co * per + q] * a);
                bias[co] = (float) ((bias[co] - bn.runningMean()[co]) * a + bn.bias().value().get(co));
            }
            return next + 1;
        }

        private int denseConv(String describe, int cin, int cout, int k, int s, int p, float[] wt, float[] bias, int i) {
            requireImage(p);
            int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
            int next = foldBatchNorm(wt, bias, cout, i + 1);
            boolean bn = next > i + 1;
            boolean relu = is(next, ReLU.class);
            if (relu) next++;
            int pool = 0;
            if (is(next, MaxPool2d.class)) {
                MaxPool2d mp = (MaxPool2d) layers.get(next);
                if (mp.window() == mp.stride() && mp.padding() == 0) {
                    pool = mp.window();
                    next++;
                }
            }
            PixelMap in = PixelMap.nhwc(h, w, pad, cs);
            int outH = pool > 0 ? oh / pool : oh, outW = pool > 0 ? ow / pool : ow, border = borderFor(next);
            int kp = ConvWeights.paddedChannels(cout);
            PixelMap out = PixelMap.nhwc(outH, outW, border, kp);
            int outSlot = newBuffer(out.perImage());
            boolean winograd = options.winograd() && ConvAlgorithm.useWinograd(k, s, oh, ow, cin, cs, pool);
            if (winograd) {
                WinogradConvOp op = new WinogradConvOp(slot, in, cin, wt, bias, cout, p, oh, ow, relu, pool > 0, outSlot, out);
                weightFloats += op.weightFloats();
                ops.add(op);
            } else {
                ConvWeights weights = new ConvWeights(wt, bias, cout, cin, k, k, cs, in.perRow(), relu);
                weightFloats += weights.floats();
                PixelMap windows = new PixelMap(in.perImage(), s * in.perRow(), s * cs, in.at(0, -p, -p));
                ops.add(new ConvOp(slot, outSlot, weights, windows, oh, ow, pool, out));
            }
            plan.append(describe).append(winograd ? " by Winograd F(2×2, 3×3)" : "").append(bn ? " + batch norm (folded)" : "")
                    .append(relu ? " + ReLU" : "").append(pool > 0 ? " + max-pool " + pool : "")
                    .append(" → NHWC ").append(outH).append('×').append(outW).append('×').append(cout)
                    .append(", border ").append(border).append('\n');
            slot = outSlot;
            c = cout;
            h = outH;
            w = outW;
            cs = kp;
            pad = border;
            return next;
        }

        /**
         * A general convolution (rectangular kernel or strides, dilation, uneven padding) as the implicit
         * GEMM of {@link ConvOp}, with a batch norm after it folded and a ReLU fused: the window corners
         * step sh rows and sw pixels, and start top rows and left pixels into the zero border (as wide as
         * the largest padding). A row dilation dh is a tap row pitch dh image rows long; a column dilation
         * dw widens the kernel to its span with zero weights between the taps (exact for finite
         * activations: each adds +0).
         */
        private int generalConv(GeneralConv2d conv, int i) {
            ConvGeometry g = conv.geometry();
            int cin = conv.inChannels(), cout = conv.outChannels();
            requireImage(g.maxPadding());
            int oh = g.outHeight(h), ow = g.outWidth(w);
            float[] wt = conv.weight().value().toArray(), bias = conv.bias().value().toArray();
            int next = foldBatchNorm(wt, bias, cout, i + 1);
            boolean bn = next > i + 1, relu = is(next, ReLU.class);
            if (relu) next++;
            int kw = g.spanWidth();
            float[] taps = wt;
            if (g.dw() > 1) { // W'[co, ci, u, v·dw] = W[co, ci, u, v], zero between
                taps = new float[Math.multiplyExact(cout * cin * g.kh(), kw)];
                for (int row = 0; row < cout * cin * g.kh(); row++) {
                    for (int v = 0; v < g.kw(); v++) taps[row * kw + v * g.dw()] = wt[row * g.kw() + v];
                }
            }
            PixelMap in = PixelMap.nhwc(h, w, pad, cs);
            int border = borderFor(next), kp = ConvWeights.paddedChannels(cout);
            PixelMap out = PixelMap.nhwc(oh, ow, border, kp);
            int outSlot = newBuffer(out.perImage());
            ConvWeights weights = new ConvWeights(taps, bias, cout, cin, g.kh(), kw, cs, g.dh() * in.perRow(), relu);
            weightFloats += weights.floats();
            PixelMap windows = new PixelMap(in.perImage(), g.sh() * in.perRow(), g.sw() * cs, in.at(0, -g.top(), -g.left()));
            ops.add(new ConvOp(slot, outSlot, weights, windows, oh, ow, 0, out));
            plan.append(conv.describe()).append(bn ? " + batch norm (folded)" : "").append(relu ? " + ReLU" : "")
                    .append(" → NHWC ").append(oh).append('×').append(ow).append('×').append(cout).append(", border ").append(border).append('\n');
            slot = outSlot;
            c = cout;
            h = oh;
            w = ow;
            cs = kp;
            pad = border;
            return next;
        }

        private int pool(String what, int kh, int kw, int sh, int sw, boolean average, int i) {
            requireImage(0);
            int oh = (h - kh) / sh + 1, ow = (w - kw) / sw + 1, border = borderFor(i + 1);
            PixelMap in = PixelMap.nhwc(h, w, pad, cs), out = PixelMap.nhwc(oh, ow, border, cs);
            int outSlot = newBuffer(out.perImage());
            ops.add(new PoolOp(slot, outSlot, in, cs, kh, kw, sh, sw, average, oh, ow, out));
            plan.append(what).append(" → NHWC ").append(oh).append('×').append(ow).append('×').append(c).append('\n');
            slot = outSlot;
            h = oh;
            w = ow;
            pad = border;
            return i + 1;
        }

        /** An element-wise activation in place, over the interior of the image or over the features. */
        private int pointwise(PointwiseActivation act, int i) {
            if (raw) requireImage(borderFor(i));
            PointwiseOp op = image || nhwcOrder ? new PointwiseOp(slot, PixelMap.nhwc(h, w, pad, cs), h, w, c, act.kind(), act.a(), act.b())
                    : new PointwiseOp(slot, PixelMap.nhwc(1, 1, 0, stride), 1, 1, features, act.kind(), act.a(), act.b());
            ops.add(op);
            plan.append(act.describe()).append(" (in place)\n");
            return i + 1;
        }

        /**
         * Tanh / GELU, or a constant affine map or division, in place over the interior of the image
         * or over the features (per-channel constants need an image; the layer checked that).
         */
        private int inPlace(Layer l, int i) {
            if (raw) requireImage(borderFor(i));
            boolean asImage = image || nhwcOrder;
            PixelMap map = asImage ? PixelMap.nhwc(h, w, pad, cs) : PixelMap.nhwc(1, 1, 0, stride);
            int ph = asImage ? h : 1, pw = asImage ? w : 1, channels = asImage ? c : features;
            float[] a = new float[channels], b = new float[channels];
            Op op;
            if (l instanceof SmoothActivation act) {
                op = new SmoothPointwiseOp(slot, map, ph, pw, channels, act.kind());
            } else if (l instanceof ChannelAffine affine) {
                for (int ch = 0; ch < channels; ch++) {
                    a[ch] = affine.scale(affine.uniform() ? 0 : ch);
                    b[ch] = affine.shift(affine.uniform() ? 0 : ch);
                }
                op = new ChannelAffineOp(slot, map, ph, pw, channels, a, b);
            } else {
                ChannelDivide divide = (ChannelDivide) l;
                for (int ch = 0; ch < channels; ch++) a[ch] = divide.divisor(divide.uniform() ? 0 : ch);
                op = new ChannelDivideOp(slot, map, ph, pw, channels, a);
            }
            ops.add(op);
            plan.append(l.describe()).append(" (in place)\n");
            return i + 1;
        }

        /** A pool in ceil mode or a padded average: windows clipped to the image, PyTorch's divisors. */
        private int windowPool(WindowPool2d wp, int i) {
            requireImage(0);
            int k = wp.window(), s = wp.stride(), p = wp.padding();
            int oh = org.panamacnn.simd.WindowPool.outSize(h, k, s, p, wp.ceilMode()), ow = org.panamacnn.simd.WindowPool.outSize(w, k, s, p, wp.ceilMode());
            int border = borderFor(i + 1);
            PixelMap in = PixelMap.nhwc(h, w, pad, cs), out = PixelMap.nhwc(oh, ow, border, cs);
            int outSlot = newBuffer(out.perImage());
            ops.add(new WindowPoolOp(slot, in, h, w, cs, wp.isAverage(), k, s, p, wp.countsPadding(), outSlot, out, oh, ow));
            plan.append(wp.describe()).append(" → NHWC ").append(oh).append('×').append(ow).append('×').append(c).append('\n');
            slot = outSlot;
            h = oh;
            w = ow;
            pad = border;
            return i + 1;
        }

        /** An adaptive average pool: each output pixel the mean of its window (windows may overlap or repeat). */
        private int adaptivePool(AdaptiveAvgPool2d ap, int i) {
            requireImage(0);
            int oh = ap.outHeight(), ow = ap.outWidth(), border = borderFor(i + 1);
            PixelMap in = PixelMap.nhwc(h, w, pad, cs), out = PixelMap.nhwc(oh, ow, border, cs);
            int outSlot = newBuffer(out.perImage());
            ops.add(new AdaptivePoolOp(slot, in, h, w, cs, outSlot, out, oh, ow));
            plan.append(ap.describe()).append(" → NHWC ").append(oh).append('×').append(ow).append('×').append(c).append('\n');
            slot = outSlot;
            h = oh;
            w = ow;
            pad = border;
            return i + 1;
        }

        /**
         * A transposed convolution: each output pixel gathers its taps from the NHWC input (no border
         * needed), the weights packed [k, k, cin, cout] once; output channels unpadded.
         */
        private int convTranspose(org.panamacnn.nn.ConvTranspose2d ct, int i) {
            requireImage(0);
            int k = ct.kernel(), s = ct.stride(), p = ct.padding(), cout = ct.outChannels();
            int oh = org.panamacnn.nn.ConvTranspose2d.outSize(h, k, s, p, ct.outputPadding());
            int ow = org.panamacnn.nn.ConvTranspose2d.outSize(w, k, s, p, ct.outputPadding()), border = borderFor(i + 1);
            PixelMap in = PixelMap.nhwc(h, w, pad, cs), out = PixelMap.nhwc(oh, ow, border, cout);
            int outSlot = newBuffer(out.perImage());
            ConvTransposeOp op = new ConvTransposeOp(slot, in, h, w, c, ct.weight().value().toArray(), ct.bias().value().toArray(), cout,
                    k, s, p, outSlot, out, oh, ow);
            weightFloats += op.weightFloats();
            ops.add(op);
            plan.append(ct.describe()).append(" → NHWC ").append(oh).append('×').append(ow).append('×').append(cout)
                    .append(", border ").append(border).append('\n');
            slot = outSlot;
            c = cout;
            cs = cout;
            h = oh;
            w = ow;
            pad = border;
            return i + 1;
        }

        /** An upsample (nearest or bilinear): each output pixel from its source pixels, vectors over channels. */
        private int upsample(org.panamacnn.nn.Upsample2d up, int i) {
            requireImage(0);
            int oh = up.rows().out(), ow = up.columns().out(), border = borderFor(i + 1);
            PixelMap in = PixelMap.nhwc(h, w, pad, cs), out = PixelMap.nhwc(oh, ow, border, cs);
            int outSlot = newBuffer(out.perImage());
            ops.add(new ResizeOp(slot, in, up.rows(), up.columns(), c, outSlot, out));
            plan.append(up.describe()).append(" → NHWC ").append(oh).append('×').append(ow).append('×').append(c).append('\n');
            slot = outSlot;
            h = oh;
            w = ow;
            pad = border;
            return i + 1;
        }

        /**
         * Group norm, layer norm over a whole image or over each pixel's channels: each image's own
         * statistics, into a new buffer with the border the next layer wants. Layer norm's weights
         * [C, H, W] are permuted once to the NHWC order the op reads.
         */
        private int sampleNorm(Layer l, int i) {
            requireImage(0);
            int border = borderFor(i + 1);
            PixelMap in = PixelMap.nhwc(h, w, pad, cs), out = PixelMap.nhwc(h, w, border, cs);
            int outSlot = newBuffer(out.perImage());
            SampleNormOp op;
            if (l instanceof LayerNorm2d ln) {
                op = SampleNormOp.perPixel(slot, in, h, w, c, ln.weight().value().toArray(), ln.bias().value().toArray(), ln.eps(), outSlot, out);
            } else if (((GroupNorm) l).elementwise()) {
                GroupNorm gn = (GroupNorm) l;
                float[] g = gn.weight().value().data(), b = gn.bias().value().data(), gHwc = new float[g.length], bHwc = new float[b.length];
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < h * w; p++) {
                        gHwc[p * c + ch] = g[ch * h * w + p];
                        bHwc[p * c + ch] = b[ch * h * w + p];
                    }
                }
                op = SampleNormOp.wholeImage(slot, in, h, w, c, gHwc, bHwc, gn.eps(), outSlot, out);
            } else {
                GroupNorm gn = (GroupNorm) l;
                op = SampleNormOp.groups(slot, in, h, w, c, gn.groups(), gn.weight().value().toArray(), gn.bias().value().toArray(), gn.eps(), outSlot, out);
            }
            ops.add(op);
            weightFloats += 2L * (l instanceof GroupNorm gn && gn.elementwise() ? c * h * w : c);
            plan.append(l.describe()).append(" → NHWC ").append(h).append('×').append(w).append('×').append(c).append(", border ").append(border).append('\n');
            slot = outSlot;
            pad = border;
            return i + 1;
        }

        /** A max-pool whose padding counts as −∞ (so the zero border cannot stand in for it). */
        private int paddedMaxPool(MaxPool2d mp, int i) {
            requireImage(0);
            int k = mp.window(), s = mp.stride(), p = mp.padding();
            int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1, border = borderFor(i + 1);
            PixelMap in = PixelMap.nhwc(h, w, pad, cs), out = PixelMap.nhwc(oh, ow, border, cs);
            int outSlot = newBuffer(out.perImage());
            ops.add(PoolOp.paddedMax(slot, outSlot, in, h, w, cs, k, s, p, oh, ow, out));
            plan.append(mp.describe()).append(" → NHWC ").append(oh).append('×').append(ow).append('×').append(c).append('\n');
            slot = outSlot;
            h = oh;
            w = ow;
            pad = border;
            return i + 1;
        }

        private int dense(Dense d, int i) {
            if (image || raw) throw new IllegalArgumentException("needs flat input (a Flatten before it)");
            int in = d.inFeatures(), out = d.outFeatures();
            boolean relu = is(i + 1, ReLU.class);
            // a huge weight (VGG's 25088 × 4096) is packed from the model's own array, the features put in
            // PyTorch's order by one copy per call instead: a permuted copy of it would hold another 0.4 GB while planning
            if (nhwcOrder && (long) out * stride >= LARGE_DENSE_FLOATS) toChw();
            float[] wt = d.weight().value().data(), cols = wt;
            if (nhwcOrder || stride != in) {
                // W' [out, stride]: column f' of our layout takes PyTorch's column f; padding channels stay 0.
                cols = new float[Math.multiplyExact(out, stride)];
                for (int f = 0; f < in; f++) {
                    int to = f;
                    if (nhwcOrder) { // f = (ch·h + y)·w + x  →  (y·w + x)·cs + ch
                        int ch = f / (h * w), y = f / w % h, x = f % w;
                        to = (y * w + x) * cs + ch;
                    }
                    for (int o = 0; o < out; o++) cols[o * stride + to] = wt[o * in + f];
                }
            }
            ConvWeights weights = new ConvWeights(cols, d.bias().value().data(), out, stride, 1, 1, stride, 0, relu);
            weightFloats += weights.floats();
            int outStride = weights.paddedOutChannels(), outSlot = newBuffer(outStride);
            ops.add(new DenseOp(slot, outSlot, weights, stride, outStride));
            plan.append(d.describe()).append(relu ? " + ReLU" : "").append(nhwcOrder ? " (weights permuted to NHWC order)" : "")
                    .append('\n');
            slot = outSlot;
            features = out;
            stride = outStride;
            nhwcOrder = false;
            return relu ? i + 2 : i + 1;
        }

        /**
         * An add or concat of flat features (e.g. dense heads), in PyTorch's order: an input still in
         * NHWC flatten order is put in NCHW order first. Output: features side by side, no padding.
         */
        private void flatMerge(Graph.Node node, int[] in, State[] out) {
            int[] slots = new int[in.length], counts = new int[in.length];
            PixelMap[] maps = new PixelMap[in.length];
            int total = 0;
            for (int j = 0; j < in.length; j++) {
                State s = out[in[j] + 1];
                if (s.image || s.raw) throw new IllegalArgumentException("node '" + node.name() + "': cannot merge flat features with an image");
                restore(s);
                if (nhwcOrder) toChw();
                slots[j] = slot;
                counts[j] = features;
                maps[j] = PixelMap.nhwc(1, 1, 0, stride);
                total += features;
            }
            boolean add = node.merge() instanceof org.panamacnn.nn.Add, mul = node.merge() instanceof Multiply;
            int outFeatures = add || mul ? counts[0] : total;
            PixelMap map = PixelMap.nhwc(1, 1, 0, outFeatures);
            int outSlot = newBuffer(outFeatures);
            if (mul) ops.add(new MulOp(slots[0], maps[0], slots[1], maps[1], false, outSlot, map, 1, 1, outFeatures));
            else addMergeOps(add, slots, maps, counts, outSlot, map, 1, 1);
            plan.append(add ? "add" : mul ? "mul" : "concat").append(" (node '").append(node.name()).append("') → ").append(outFeatures).append(" features\n");
            slot = outSlot;
            features = outFeatures;
            stride = outFeatures;
            nhwcOrder = false;
        }

        /**
         * The ops of a merge of h×w inputs (slots[j] laid out by maps[j], counts[j] real channels)
         * into outSlot: adds chained left to right (a + b, then + c, … into the output), or one
         * concat. Flat features are the 1×1 case.
         */
        private void addMergeOps(boolean add, int[] slots, PixelMap[] maps, int[] counts, int outSlot, PixelMap out, int h, int w) {
            if (!add) {
                ops.add(new ConcatOp(slots, maps, counts, outSlot, out, h, w));
                return;
            }
            int a = slots[0];
            PixelMap aMap = maps[0];
            for (int j = 1; j < slots.length; j++) {
                ops.add(new AddOp(a, aMap, slots[j], maps[j], outSlot, out, h, w, counts[0]));
                a = outSlot;
                aMap = out;
            }
        }

        private void toChw() {
            int outSlot = newBuffer(features);
            ops.add(new ToChwOp(slot, outSlot, c, h, w, PixelMap.nhwc(h, w, pad, cs)));
            plan.append("NHWC → NCHW flatten order\n");
            slot = outSlot;
            stride = features;
            nhwcOrder = false;
        }
    }
}
