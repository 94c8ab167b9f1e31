package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.floatCentralDifference;
import static org.panamacnn.nn.TestSupport.tensor;
import static org.panamacnn.nn.TestSupport.uniform;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.io.ModelFile;
import org.panamacnn.oracle.FiniteDifference;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** {@link Residual}: y = main(x) + shortcut(x) forward, gradients against finite differences, specs and names. */
class ResidualTest {
    private static final Shape IN = Shape.of(3, 6, 5);

    private static Residual block(boolean projection) {
        List<Layer> main = List.of(new Conv2d(4, 3, projection ? 2 : 1, 1), new BatchNorm2d(), new ReLU(), new Conv2d(4, 3, 1, 1));
        List<Layer> shortcut = projection ? List.of(new Conv2d(4, 1, 2, 0), new BatchNorm2d()) : List.of(new Conv2d(4, 1, 1, 0));
        return new Residual(main, shortcut);
    }

    @Test
    void forwardIsTheSumOfThePaths() {
        Residual r = new Residual(List.of(new Conv2d(3, 3, 1, 1), new ReLU()), List.of());
        r.build(IN);
        r.initialize(new java.util.SplittableRandom(1));
        float[] x = uniform(new Random(1), 2 * IN.size());
        Tensor y = r.forward(tensor(IN, 2, x), false);
        Tensor m = r.main().get(1).forward(r.main().get(0).forward(tensor(IN, 2, x), false), false);
        for (int i = 0; i < y.size(); i++) assertEquals(m.get(i) + x[i], y.get(i), 0f);
    }

    @Test
    void aResidualNetworkHoldsAFewGradientArraysNotOnePerLayer() {
        // stem + four blocks (two with projections): 30 layers whose input gradients are arena-backed
        List<Layer> layers = new java.util.ArrayList<>(List.of(new Conv2d(8, 3, 1, 1), new BatchNorm2d(), new ReLU()));
        for (int b = 0; b < 4; b++) {
            int out = b < 2 ? 8 : 16, stride = b == 2 ? 2 : 1;
            List<Layer> main = List.of(new Conv2d(out, 3, stride, 1), new BatchNorm2d(), new ReLU(), new Conv2d(out, 3, 1, 1), new BatchNorm2d());
            layers.add(new Residual(main, stride == 1 ? List.of() : List.of(new Conv2d(out, 1, stride, 0), new BatchNorm2d())));
            layers.add(new ReLU());
        }
        layers.addAll(List.of(new GlobalAvgPool2d(), new Flatten(), new Dense(10)));
        try (ParallelExecutor executor = new ParallelExecutor(2)) {
            BuildContext context = new BuildContext(executor, Weights.create(), EngineOptions.defaults());
            Sequential model = new Sequential(Shape.of(3, 12, 12), layers, context);
            model.initialize(4);
            int batch = 5;
            long largest = (long) batch * 8 * 12 * 12; // the stem's and first blocks' activations
            Tensor x = tensor(model.inputShape(), batch, uniform(new Random(5), batch * model.inputShape().size()));
            long afterFirst = 0;
            for (int step = 0; step < 4; step++) {
                Tensor y = model.forward(x, true);
                model.backward(tensor(model.outputShape(), batch, uniform(new Random(6), y.size())));
                if (step == 1) afterFirst = context.gradientArena().floats();
            }
            long held = context.gradientArena().floats();
            assertEquals(afterFirst, held, "steps after the second made new gradient arrays");
            // a chain needs two; a block adds its staged gradient and its paths' two each; the rest is slack
            assertTrue(held <= 7 * largest, held + " gradient floats, more than 7 of the largest activation (" + largest + ")");
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        for (boolean projection : new boolean[] {false, true}) {
            Residual r = block(projection);
            Shape out = r.build(IN);
            r.initialize(new java.util.SplittableRandom(2));
            Random rnd = new Random(3);
            int batch = 3;
            float[] x = uniform(rnd, batch * IN.size()), weights = uniform(rnd, batch * out.size());
            java.util.function.DoubleSupplier loss = () -> {
                Tensor y = r.forward(tensor(IN, batch, x), true);
                double s = 0;
                for (int i = 0; i < y.size(); i++) s += weights[i] * (double) y.get(i);
                return s;
            };
            loss.getAsDouble();
            Tensor dx = r.backward(tensor(out, batch, weights.clone()), true);
            double[] analytic = TestSupport.toDouble(dx);
            double[] numeric = floatCentralDifference(x, x.length, 1e-3f, loss);
            double err = FiniteDifference.maxRelativeError(analytic, numeric);
            assertTrue(err < 2e-2, (projection ? "projection" : "identity") + " ∂L/∂x relative error " + err);
            Param w0 = r.params().get(0);
            loss.getAsDouble();
            r.backward(tensor(out, batch, weights.clone()), true);
            double[] dw = TestSupport.toDouble(w0.grad());
            double[] nw = floatCentralDifference(w0.value().data(), w0.size(), 1e-3f, loss);
            err = FiniteDifference.maxRelativeError(dw, nw);
            assertTrue(err < 2e-2, "∂L/∂main.0.weight relative error " + err);
        }
    }

    @Test
    void specsAndNamesRoundTripThroughAModelFile(@TempDir Path dir) throws Exception {
        Sequential model = new Sequential(IN, ParallelExecutor.SEQUENTIAL, List.<Layer>of(
                new Conv2d(4, 3, 1, 1), block(false), new ReLU(), block(true), new ReLU(),
                new Residual(List.of(new Residual(List.of(new Conv2d(4, 3, 1, 1)), List.of()), new ReLU()), List.of()),
                new GlobalAvgPool2d(), new Flatten(), new Dense(2)));
        model.initialize(5);
        for (Layer l : model.layers()) assertEquals(l.spec(), LayerSpec.parse(l.spec()).spec());
        assertTrue(model.layers().get(1).namedParams().containsKey("main.0.weight"));
        assertTrue(model.layers().get(3).namedBuffers().containsKey("shortcut.1.running_var"));
        Path file = dir.resolve("res.safetensors");
        ModelFile.save(file, model, Map.of());
        Sequential back = ModelFile.load(file, ParallelExecutor.SEQUENTIAL).model();
        Tensor x = tensor(IN, 2, uniform(new Random(6), 2 * IN.size()));
        assertArrayEquals(model.forward(x, false).toArray(), back.forward(x, false).toArray());
        assertThrows(IllegalArgumentException.class, () -> new Sequential(IN, new Residual(List.of(new Conv2d(5, 3, 1, 1)), List.of())));
        assertThrows(IllegalArgumentException.class, () -> LayerSpec.parse("residual main=[conv2d out=4 kernel=3"));
    }
}
