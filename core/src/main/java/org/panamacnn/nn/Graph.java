package org.panamacnn.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Blas1;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.BufferArena;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A directed acyclic graph of layers and merges, itself a layer. Nodes are listed in an order in
 * which each reads only {@code input} (the graph's input) or nodes before it — which makes the
 * graph acyclic by construction — and the last node is the output. A layer node has one input, a
 * merge node ({@link Add}, {@link Concat}) two or more; a node may feed any number of others.
 *
 * <p>Forward runs the nodes in order. Backward runs them in reverse and sums the gradients that
 * reach a node from its consumers (∂L/∂x = Σ over the consumers c of ∂L/∂c · ∂c/∂x), in reverse
 * node order, so the result does not depend on timing. A gradient that reaches a node from one
 * consumer only is passed on without a copy. A node's output gradient is given back to the model's
 * gradient arena once the node's backward has read it (and a contribution once it is summed),
 * unless another slot still refers to the same array, so a deep graph holds a few gradient
 * arrays at a time, as a {@link Sequential} does, instead of one per node.
 *
 * <p>Every node but the last must feed another: a dead branch would never receive a gradient.
 * The training fusions ({@link Fusion}) are planned over the graph once it is built. Tensors are
 * named as a PyTorch module whose children carry the node names ("stem.weight", "b1.0.weight").
 * A node name may be a dotted path ("layer1.0.conv1"), as PyTorch names a module nested in
 * others, so a graph can carry a PyTorch model's own {@code state_dict} keys.
 *
 * <p>A graph {@link #root(List) named from the root} is a whole model: its tensors are named by
 * node alone ("conv1.weight"), as the PyTorch module the graph is, not under its layer index in a
 * {@link Sequential} ("0.conv1.weight"); it must be the model's only layer.
 */
public final class Graph extends CompositeLayer {
    /** The name by which nodes read the graph's input. */
    public static final String INPUT = "input";
    /** A PyTorch module path: dot-separated parts of letters, digits and _, the first not starting with a digit. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*");

    /** One node: a layer with one input, or a merge of two or more. */
    public record Node(String name, Layer layer, Merge merge, List<String> inputs) {
        public Node {
            inputs = List.copyOf(inputs);
            if ((layer == null) == (merge == null)) throw new IllegalArgumentException("node '" + name + "' needs either a layer or a merge");
        }

        public static Node of(String name, Layer layer, String input) {
            return new Node(name, layer, null, List.of(input));
        }

        public static Node of(String name, Merge merge, String... inputs) {
            return new Node(name, null, merge, List.of(inputs));
        }

        String spec() {
            return layer != null ? layer.spec() : merge.spec();
        }

        String describe() {
            return "node '" + name + "' (" + (layer != null ? layer.describe() : merge.describe()) + ")";
        }
    }

    private final List<Node> nodes;
    /** Whether the graph is a whole model whose tensors are named by node alone ({@link #root(List)}). */
    private final boolean root;
    /** Slots: 0 is the graph's input, k + 1 is node k's output. inputs[k] are node k's input slots. */
    private final int[][] inputs;
    private final int[] consumers; // per slot
    private Shape inShape, outShape;
    private Shape[] shapes; // per slot, once built
    private Tensor[] values, grads;
    /** What runs at each node: its layer, a fused step for several nodes, or nothing (set by build). */
    private Fusion.Plan plan;
    private BatchBuffer[] gradSums; // per slot read by several nodes, lent by the arena
    private BufferArena gradients = new BufferArena();
    private Tensor[][] mergeIn, mergeGrad;
    private int trainedBatch = -1;
    private ParallelExecutor executor;
    private final java.util.function.IntConsumer sumTask = this::sumChunk;
    private Tensor taskOut, taskFirst, taskAddend; // taskOut = taskFirst + taskAddend, or taskOut += taskAddend (taskFirst null)
    private int taskCount;
    /**
     * Nodes of a frozen prefix (fine-tuning): their outputs depend on frozen tensors and the
     * graph's input only, so they run in evaluation mode and backward never reaches them.
     */
    private boolean[] frozen;

    public Graph(List<Node> nodes) {
        this(nodes, false);
    }

    /**
     * A graph that is a whole model: its tensors are named by node alone ("conv1.weight",
     * "layer1.0.bn1.running_mean"), as PyTorch names the module the graph is. It must be the only
     * layer of its {@link Sequential}; built anywhere else it is refused.
     */
    public static Graph root(List<Node> nodes) {
        return new Graph(nodes, true);
    }

    private Graph(List<Node> nodes, boolean root) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("a graph needs at least one node");
        this.nodes = List.copyOf(nodes);
        this.root = root;
        Map<String, Integer> slot = new HashMap<>();
        slot.put(INPUT, 0);
        inputs = new int[nodes.size()][];
        consumers = new int[nodes.size() + 1];
        for (int k = 0; k < nodes.size(); k++) {
            Node n = nodes.get(k);
            if (!NAME.matcher(n.name()).matches()) {
                throw new IllegalArgumentException("node " + k + ": '" + n.name()
                        + "' is not a valid name (letters, digits and _, not first a digit; dots may separate parts, as in layer1.0.conv1)");
            }
            if (slot.containsKey(n.name())) {
                throw new IllegalArgumentException("node " + k + ": the name '" + n.name() + "' is " + (n.name().equals(INPUT) ? "reserved for the graph's input" : "used twice"));
            }
            if (n.layer() != null && n.inputs().size() != 1) {
                throw new IllegalArgumentException(n.describe() + " is a layer and takes one input, not " + n.inputs().size());
            }
            if (n.merge() != null && n.inputs().size() < 2) {
                throw new IllegalArgumentException(n.describe() + " merges two or more inputs, not " + n.inputs().size());
            }
            inputs[k] = new int[n.inputs().size()];
            for (int i = 0; i < inputs[k].length; i++) {
                Integer from = slot.get(n.inputs().get(i));
                if (from == null) {
                    throw new IllegalArgumentException(n.describe() + " reads '" + n.inputs().get(i)
                            + "', which is neither '" + INPUT + "' nor a node listed before it");
                }
                inputs[k][i] = from;
                consumers[from]++;
            }
            slot.put(n.name(), k + 1);
        }
        for (int k = 0; k + 1 < nodes.size(); k++) {
            if (consumers[k + 1] == 0) {
                throw new IllegalArgumentException(nodes.get(k).describe() + " feeds no other node and is not the last (the output)");
            }
        }
        if (consumers[0] == 0) throw new IllegalArgumentException("no node reads '" + INPUT + "'");
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** Whether this graph is a whole model, its tensors named by node alone ({@link #root(List)}). */
    public boolean namedFromRoot() {
        return root;
    }

    /** A graph of other nodes, named from the root as this one is or not (for copies that change some nodes). */
    public Graph withNodes(List<Node> nodes) {
        return new Graph(nodes, root);
    }

    /**
     * Marks the nodes called names as a frozen prefix, before the graph is built: each must read
     * only the graph's input and nodes of the prefix (checked here). They run in evaluation mode
     * (batch norm with its running statistics, which stay as they are) and backward stops before
     * them; the graph's input then gets no gradient. Returns this graph.
     */
    Graph freezePrefix(java.util.Set<String> names) {
        boolean[] f = new boolean[nodes.size()];
        for (int k = 0; k < nodes.size(); k++) {
            if (!names.contains(nodes.get(k).name())) continue;
            for (int s : inputs[k]) {
                if (s != 0 && !f[s - 1]) {
                    throw new IllegalArgumentException(nodes.get(k).describe() + " cannot be in a frozen prefix: it reads '"
                            + nodes.get(s - 1).name() + "', which is not");
                }
            }
            f[k] = true;
        }
        if (f[nodes.size() - 1]) throw new IllegalArgumentException("the whole graph is frozen: nothing in it to train");
        frozen = f;
        return this;
    }

    private boolean isFrozen(int k) {
        return frozen != null && frozen[k];
    }

    @Override
    public Shape build(Shape input, BuildContext context) {
        if (root && !context.isRoot()) {
            throw new IllegalArgumentException("a graph named from the root (root=true) is a whole model: it must be the model's only layer,"
                    + " not inside another layer nor next to others");
        }
        int n = nodes.size();
        Shape[] shapes = new Shape[n + 1];
        shapes[0] = input;
        mergeIn = new Tensor[n][];
        mergeGrad = new Tensor[n][];
        for (int k = 0; k < n; k++) {
            Node node = nodes.get(k);
            try {
                if (node.layer() != null) {
                    shapes[k + 1] = node.layer().build(shapes[inputs[k][0]], context.child(node.name()));
                } else {
                    List<Shape> in = new ArrayList<>();
                    for (int s : inputs[k]) in.add(shapes[s]);
                    shapes[k + 1] = node.merge().build(in, context.executor());
                    mergeIn[k] = new Tensor[inputs[k].length];
                    mergeGrad[k] = new Tensor[inputs[k].length];
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(node.describe() + " cannot take " + inputsText(k, shapes) + ": " + e.getMessage(), e);
            }
            Sequential.requireBoundedActivation(shapes[k + 1], node.describe());
        }
        gradSums = new BatchBuffer[n + 1];
        for (int s = 0; s <= n; s++) if (consumers[s] > 1) gradSums[s] = context.gradientBuffer(shapes[s]);
        gradients = context.gradientArena();
        values = new Tensor[n + 1];
        grads = new Tensor[n + 1];
        inShape = input;
        outShape = shapes[n];
        this.shapes = shapes;
        this.executor = context.executor();
        plan = Fusion.plan(fusionView(), context.options());
        return outShape;
    }

    private String inputsText(int k, Shape[] shapes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < inputs[k].length; i++) {
            sb.append(i == 0 ? "" : ", ").append(nodes.get(k).inputs().get(i)).append(' ').append(shapes[inputs[k][i]]);
        }
        return sb.toString();
    }

    /**
     * The most node-output gradients backward holds at once: slots that have received a gradient
     * and whose producer has not yet run (node k reads slot k + 1 and writes its inputs' slots), as
     * backward gives each back once read. What the memory budget counts for a graph's gradients.
     */
    public int maxPendingGradients() {
        int n = nodes.size(), live = 1, peak = 1;
        boolean[] pending = new boolean[n + 1];
        pending[n] = true;
        for (int k = n - 1; k >= 0; k--) {
            for (int s : inputs[k]) {
                if (!pending[s]) {
                    pending[s] = true;
                    live++;
                }
            }
            peak = Math.max(peak, live);
            if (pending[k + 1]) {
                pending[k + 1] = false;
                live--;
            }
        }
        return peak;
    }

    /** Node k's per-sample output shape (the graph must be built). */
    public Shape shapeOf(int k) {
        Shapes.requireBuilt(this, inShape);
        return shapes[k + 1];
    }

    /** Whether node k is a layer reading the node before it ({@code input} for the first): the default a definition may leave out. */
    public boolean readsPrevious(int k) {
        Node n = nodes.get(k);
        return n.layer() != null && n.inputs().getFirst().equals(k == 0 ? INPUT : nodes.get(k - 1).name());
    }

    /** The node (index) that alone reads node k's output, or −1. */
    public int soleConsumer(int k) {
        if (consumers[k + 1] != 1) return -1;
        for (int j = k + 1; j < nodes.size(); j++) {
            for (int s : inputs[j]) if (s == k + 1) return j;
        }
        return -1;
    }

    /** How many node inputs read node k's output (k = −1: the graph's input). */
    public int consumerCount(int k) {
        return consumers[k + 1];
    }

    /** Node k's input nodes (−1 for the graph's input). */
    public int[] inputsOf(int k) {
        int[] in = inputs[k].clone();
        for (int i = 0; i < in.length; i++) in[i]--;
        return in;
    }

    /**
     * What forward runs at layer node k once built (read-only, for profilers): the node's layer, a
     * fused step that also does the nodes up to {@link #plannedOutput(int)}, or null where such a
     * step before it does node k (and at merge nodes, which the graph runs itself).
     */
    public Step plannedStep(int k) {
        Shapes.requireBuilt(this, inShape);
        return plan.step(k);
    }

    /** The node whose output {@link #plannedStep(int) node k's step} produces: k unless the step is fused. */
    public int plannedOutput(int k) {
        Shapes.requireBuilt(this, inShape);
        return plan.outputOf(k);
    }

    private Fusion.View fusionView() {
        return new Fusion.View() {
            @Override
            public int size() {
                return nodes.size();
            }

            @Override
            public Layer layer(int i) {
                return nodes.get(i).layer();
            }

            @Override
            public int soleConsumer(int i) {
                return Graph.this.soleConsumer(i);
            }
        };
    }

    /** The layer nodes by name (merges have no tensors). */
    @Override
    Map<String, Layer> children() {
        Map<String, Layer> all = new LinkedHashMap<>();
        for (Node n : nodes) if (n.layer() != null) all.put(n.name(), n.layer());
        return all;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, inShape);
        Shapes.requireBatchOf(this, inShape, x);
        values[0] = x;
        for (int k = 0; k < nodes.size(); k++) {
            Node n = nodes.get(k);
            if (n.layer() != null) {
                Step step = plan.step(k);  // null: done by a fused step before it
                if (step != null) values[plan.outputOf(k) + 1] = step.forward(values[inputs[k][0]], training && !isFrozen(k));
            } else {
                for (int i = 0; i < inputs[k].length; i++) mergeIn[k][i] = values[inputs[k][i]];
                values[k + 1] = n.merge().forward(mergeIn[k]);
            }
        }
        trainedBatch = training ? x.batch() : -1;
        Tensor y = values[nodes.size()];
        Arrays.fill(values, null); // hold no references to other layers' buffers between calls
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        Shapes.requireGradientFor(this, trainedBatch, outShape, gradOut);
        Arrays.fill(grads, null);
        grads[nodes.size()] = gradOut;
        for (int k = nodes.size() - 1; k >= 0; k--) {
            if (isFrozen(k)) continue;  // a frozen prefix: nothing before it is trained
            Node n = nodes.get(k);
            if (n.layer() != null) {
                Step step = plan.step(k);
                if (step == null) continue;  // a fused step before it does this node's backward
                int from = inputs[k][0];
                boolean needed = needsGradient(from, inputGradient);
                int out = plan.outputOf(k) + 1;
                Tensor g = grads[out];
                Tensor dx = step.backward(g, needed);
                grads[out] = null; // read: only node k's step reads its output's gradient
                if (needed) accumulate(from, dx, gradOut);
                release(g, gradOut);
            } else {
                Tensor g = grads[k + 1];
                n.merge().backward(g, mergeGrad[k]);
                grads[k + 1] = null;
                for (int i = 0; i < inputs[k].length; i++) {
                    if (needsGradient(inputs[k][i], inputGradient)) accumulate(inputs[k][i], mergeGrad[k][i], gradOut);
                }
                release(g, gradOut);
            }
        }
        Tensor dx = inputGradient ? grads[0] : null;
        Arrays.fill(grads, null);
        return dx;
    }

    /**
     * Gives t's array back to the arena once it has been read: unless it is the caller's gradOut or
     * some slot still holds it (a gradient passed through, or the graph's input gradient).
     */
    private void release(Tensor t, Tensor gradOut) {
        if (t == null || t.data() == gradOut.data()) return;
        for (Tensor g : grads) if (g != null && g.data() == t.data()) return;
        gradients.giveBack(t.data());
    }

    /** Whether backward must compute ∂L/∂(slot): not for a frozen prefix node's output, nor for the graph's input unless asked. */
    private boolean needsGradient(int slot, boolean inputGradient) {
        return slot == 0 ? inputGradient : !isFrozen(slot - 1);
    }

    /**
     * grads[slot] += g: the first contribution by reference, a second one into the slot's own
     * buffer (the contributions summed there are then released).
     */
    private void accumulate(int slot, Tensor g, Tensor gradOut) {
        Tensor sum = grads[slot];
        if (sum == null) {
            grads[slot] = g;
            return;
        }
        Tensor own = gradSums[slot].get(g.batch());
        taskOut = own;
        taskFirst = sum == own ? null : sum;
        taskAddend = g;
        taskCount = BatchChunks.count(g.batch());
        executor.forEach(taskCount, sumTask);
        taskFirst = taskAddend = null;
        grads[slot] = own;
        if (sum != own) release(sum, gradOut);
        release(g, gradOut);
    }

    /** taskOut (=) taskFirst + taskAddend, or taskOut += taskAddend, over the images of chunk c (memory-bound: split like the layers). */
    private void sumChunk(int c) {
        int batch = taskOut.batch(), per = taskOut.size() / batch;
        int from = BatchChunks.start(c, taskCount, batch) * per, n = BatchChunks.start(c + 1, taskCount, batch) * per - from;
        float[] out = taskOut.data();
        if (taskFirst != null) Blas1.addInto(n, taskFirst.data(), from, taskAddend.data(), from, out, from);
        else Blas1.add(n, taskAddend.data(), from, out, from);
    }

    @Override
    public Graph copy() {
        List<Node> copies = new ArrayList<>();
        for (Node n : nodes) copies.add(new Node(n.name(), n.layer() == null ? null : n.layer().copy(), n.merge() == null ? null : n.merge().copy(), n.inputs()));
        return withNodes(copies);
    }

    /**
     * "graph nodes=[name: spec | name(in, in): spec | ...]" ("graph root=true nodes=[...]" when
     * {@link #namedFromRoot()}), read back by {@link LayerSpec#parse}; a layer's input is left out
     * when it is the node before (or {@code input} for the first).
     */
    @Override
    public String spec() {
        StringBuilder sb = new StringBuilder(root ? "graph root=true nodes=[" : "graph nodes=[");
        for (int k = 0; k < nodes.size(); k++) {
            Node n = nodes.get(k);
            sb.append(k == 0 ? "" : " | ").append(n.name());
            if (!readsPrevious(k)) sb.append('(').append(String.join(", ", n.inputs())).append(')');
            sb.append(": ").append(n.spec());
        }
        return sb.append(']').toString();
    }

    @Override
    public String describe() {
        return "Graph(" + nodes.size() + " nodes)";
    }
}
