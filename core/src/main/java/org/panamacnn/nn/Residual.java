package org.panamacnn.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.panamacnn.parallel.BatchChunks;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.simd.Blas1;
import org.panamacnn.simd.Relu;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.BufferArena;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A residual block: y = main(x) + shortcut(x), the shortcut being the identity when it has no
 * layers (or, e.g., a strided 1×1 convolution and a batch norm where the main path changes the
 * shape). A ResNet basic block is {@code Residual([conv, bn, relu, conv, bn], [])} followed by a
 * ReLU. Backward: δx = δmain(δy) + δshortcut(δy). Its tensors are named as PyTorch names a module
 * with {@code main} and {@code shortcut} nn.Sequential children ("main.0.weight", ...).
 *
 * <p>The ReLU after a block ({@link Fusion}) is done in the sum, y = max(main + shortcut, 0), and
 * its mask in backward: δ = δy ⊙ 1[y > 0] is staged in the input gradient's buffer (when the block
 * keeps the shape), both paths run on it, and δx = δmain + δshortcut is then written over it (in
 * place for the identity).
 * The sums are one pass each, split over the batch like the layers around them.
 */
public final class Residual extends CompositeLayer implements ReluFusable {
    private final List<Layer> main, shortcut;
    /** What forward and backward run on each path ({@link Fusion#planChain}); set by build. */
    private List<Step> mainSteps = List.of(), shortcutSteps = List.of();
    private Shape inShape, outShape;
    private BatchBuffer output, inputGrad;
    /** Where the input gradients of this block's layers borrow their arrays; given back here once read. */
    private BufferArena gradients = new BufferArena();
    /** Where backward stages δy ⊙ 1[y > 0]: the input gradient's buffer when the block keeps the shape. */
    private BatchBuffer maskedGrad;
    private int trainedBatch = -1;
    /** A fused ReLU: the output is max(sum, 0), kept for backward's mask. */
    private boolean rectify;
    private Tensor rectified;
    private ParallelExecutor executor = ParallelExecutor.SEQUENTIAL;
    // what the chunk tasks work on: fields, not captures, so a call allocates nothing
    private final IntConsumer sumTask = this::sumChunk, maskTask = this::maskChunk;
    private float[] taskA, taskB, taskOut;
    private int taskBatch, taskCount, taskPer;
    private boolean taskRectify;

    public Residual(List<Layer> main, List<Layer> shortcut) {
        if (main.isEmpty()) throw new IllegalArgumentException("a residual block needs at least one layer on its main path");
        this.main = List.copyOf(main);
        this.shortcut = List.copyOf(shortcut);
    }

    public List<Layer> main() {
        return main;
    }

    public List<Layer> shortcut() {
        return shortcut;
    }

    /** What forward runs on the main path once built (fused steps included; read-only, for profilers). */
    public List<Step> mainSteps() {
        return mainSteps;
    }

    /** What forward runs on the shortcut once built (empty: the identity; read-only, for profilers). */
    public List<Step> shortcutSteps() {
        return shortcutSteps;
    }

    /** Whether the ReLU after the block is done in its sum, as {@link Fusion} planned it (read-only, for profilers). */
    public boolean rectifiesSum() {
        return rectify;
    }

    @Override
    public Shape build(Shape input, BuildContext context) {
        Shape m = buildPath(main, "main", input, context), s = buildPath(shortcut, "shortcut", input, context);
        if (!m.equals(s)) {
            throw new IllegalArgumentException("the main path gives " + m + " but the shortcut gives " + s
                    + (shortcut.isEmpty() ? " (the identity): add a shortcut that matches" : ""));
        }
        mainSteps = Fusion.planChain(main, context.options());
        shortcutSteps = Fusion.planChain(shortcut, context.options());
        inShape = input;
        outShape = m;
        output = new BatchBuffer(m);
        inputGrad = context.gradientBuffer(input);
        maskedGrad = input.equals(m) ? inputGrad : context.gradientBuffer(m);
        gradients = context.gradientArena();
        executor = context.executor();
        return m;
    }

    private static Shape buildPath(List<Layer> path, String name, Shape input, BuildContext context) {
        Shape s = input;
        for (int j = 0; j < path.size(); j++) {
            try {
                s = path.get(j).build(s, context.child(name + "." + j));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " layer " + j + " (" + path.get(j).describe() + "): " + e.getMessage(), e);
            }
        }
        return s;
    }

    /** "main.j" and "shortcut.j", as PyTorch names the children of two nn.Sequential attributes. */
    @Override
    Map<String, Layer> children() {
        Map<String, Layer> all = new LinkedHashMap<>();
        for (int j = 0; j < main.size(); j++) all.put("main." + j, main.get(j));
        for (int j = 0; j < shortcut.size(); j++) all.put("shortcut." + j, shortcut.get(j));
        return all;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        Shapes.requireBuilt(this, inShape);
        Shapes.requireBatchOf(this, inShape, x);
        Tensor m = x;
        for (Step l : mainSteps) m = l.forward(m, training);
        Tensor s = x;
        for (Step l : shortcutSteps) s = l.forward(s, training);
        Tensor y = output.get(x.batch());
        sum(m.data(), s.data(), y.data(), x.batch(), rectify, outShape.size());
        trainedBatch = training ? x.batch() : -1;
        rectified = training && rectify ? y : null;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        int batch = Shapes.requireGradientFor(this, trainedBatch, outShape, gradOut);
        Tensor g = gradOut;
        if (rectify) { // δy ⊙ 1[y > 0], staged where δx goes when it fits (the paths read it before δx is written)
            g = maskedGrad.get(batch);
            run(maskTask, gradOut.data(), rectified.data(), g.data(), batch, outShape.size());
        }
        Tensor gm = Step.backwardChain(mainSteps, 0, g, true, gradients), gs = Step.backwardChain(shortcutSteps, 0, g, true, gradients);
        Tensor dx = inputGradient ? inputGrad.get(batch) : null;
        if (dx != null) sum(gm.data(), gs.data(), dx.data(), batch, false, inShape.size());
        // the paths' input gradients, and the staged one, are read: their arrays go back to the arena
        giveBackUnless(gm, gradOut, dx);
        giveBackUnless(gs, gradOut, dx);
        giveBackUnless(g, gradOut, dx);
        return dx;
    }

    /** Gives used's array back to the arena unless it is gradOut's (the caller's to give back) or dx's (returned). */
    private void giveBackUnless(Tensor used, Tensor gradOut, Tensor dx) {
        if (used.data() != gradOut.data() && (dx == null || used.data() != dx.data())) gradients.giveBack(used.data());
    }

    /** out = a + b (rectified when asked) for a batch of tensors of `per` floats, over the batch's chunks in parallel. */
    private void sum(float[] a, float[] b, float[] out, int batch, boolean rectified, int per) {
        taskRectify = rectified;
        run(sumTask, a, b, out, batch, per);
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

    @Override
    public void fuseRelu() {
        rectify = true;
    }

    @Override
    public boolean masksOwnGradient() {
        return true;
    }

    @Override
    public Residual copy() {
        return new Residual(copies(main), copies(shortcut));
    }

    private static List<Layer> copies(List<Layer> path) {
        return path.stream().map(Layer::copy).toList();
    }

    /** "residual main=[spec | spec ...] shortcut=[...]", read back by {@link LayerSpec#parse}. */
    @Override
    public String spec() {
        return "residual main=[" + join(main) + "] shortcut=[" + join(shortcut) + "]";
    }

    private static String join(List<Layer> path) {
        StringBuilder sb = new StringBuilder();
        for (Layer l : path) sb.append(sb.isEmpty() ? "" : " | ").append(l.spec());
        return sb.toString();
    }

    @Override
    public String describe() {
        return "Residual(" + main.size() + " layers" + (shortcut.isEmpty() ? "" : ", shortcut of " + shortcut.size()) + ")"
                + (rectify ? " + ReLU" : "");
    }
}
