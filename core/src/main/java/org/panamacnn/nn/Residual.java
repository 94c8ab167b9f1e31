package org.panamacnn.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.simd.Blas1;
import org.panamacnn.tensor.BatchBuffer;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * A residual block: y = main(x) + shortcut(x), the shortcut being the identity when it has no
 * layers (or, e.g., a strided 1×1 convolution and a batch norm where the main path changes the
 * shape). A ResNet basic block is {@code Residual([conv, bn, relu, conv, bn], [])} followed by a
 * ReLU. Backward: δx = δmain(δy) + δshortcut(δy). Its tensors are named as PyTorch names a module
 * with {@code main} and {@code shortcut} nn.Sequential children ("main.0.weight", ...).
 */
public final class Residual extends CompositeLayer {
    private final List<Layer> main, shortcut;
    /** What forward and backward run on each path ({@link Fusion#planChain}); set by build. */
    private List<Step> mainSteps = List.of(), shortcutSteps = List.of();
    private Shape inShape, outShape;
    private BatchBuffer output, inputGrad;
    private int trainedBatch = -1;

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
        inputGrad = new BatchBuffer(input);
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
        System.arraycopy(m.data(), 0, y.data(), 0, y.size());
        Blas1.add(y.size(), s.data(), 0, y.data(), 0);
        trainedBatch = training ? x.batch() : -1;
        return y;
    }

    @Override
    public Tensor backward(Tensor gradOut, boolean inputGradient) {
        int batch = Shapes.requireGradientFor(this, trainedBatch, outShape, gradOut);
        Tensor gm = gradOut;
        for (int j = mainSteps.size() - 1; j >= 0; j--) gm = mainSteps.get(j).backward(gm, true);
        Tensor gs = gradOut;
        for (int j = shortcutSteps.size() - 1; j >= 0; j--) gs = shortcutSteps.get(j).backward(gs, true);
        if (!inputGradient) return null;
        Tensor dx = inputGrad.get(batch);
        System.arraycopy(gm.data(), 0, dx.data(), 0, dx.size());
        Blas1.add(dx.size(), gs.data(), 0, dx.data(), 0);
        return dx;
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
        return "Residual(" + main.size() + " layers" + (shortcut.isEmpty() ? "" : ", shortcut of " + shortcut.size()) + ")";
    }
}
