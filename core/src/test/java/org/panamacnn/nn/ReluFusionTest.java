package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** A ReLU fused into the conv/dense before it gives exactly what the separate ReLU layer gives. */
class ReluFusionTest {
    private static Tensor random(Shape s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = new Tensor(s);
        for (int i = 0; i < t.size(); i++) t.data()[i] = (float) r.nextGaussian();
        return t;
    }

    /** conv → ReLU → pool (non-overlapping, then overlapping windows): the pool's backward also does the ReLU's. */
    static List<Supplier<Layer>> pools() {
        return List.of(() -> new MaxPool2d(2), () -> new MaxPool2d(3, 1), () -> new Flatten());
    }

    @ParameterizedTest
    @MethodSource("pools")
    void fusedAndSeparateReluAgreeBitForBit(Supplier<Layer> pool) {
        Shape in = Shape.of(3, 9, 9);
        List<Layer> fusedLayers = List.of(new Conv2d(4, 3, 1, 1), new ReLU(), pool.get(), new Flatten(), new Dense(5), new ReLU());
        Sequential fused = new Sequential(in, ParallelExecutor.SEQUENTIAL, fusedLayers);
        fused.initialize(3);
        assertEquals("ReLU (fused)", fusedLayers.get(1).describe());

        // The same layers built one by one: nothing fuses them.
        List<Layer> plain = List.of(new Conv2d(4, 3, 1, 1), new ReLU(), pool.get(), new Flatten(), new Dense(5), new ReLU());
        buildWithWeightsOf(plain, in, fusedLayers);
        assertEquals("ReLU", plain.get(1).describe());

        assertSameStep(fused, fusedLayers, plain, random(in.withBatch(3), 1), random(Shape.of(3, 5), 2));
    }

    /**
     * batch norm → ReLU (then a max-pool, then a plain layer): the norm rectifies its own output and
     * masks its own gradient; outputs and every parameter gradient (the first convolution's
     * through both norms' input gradients) agree bit for bit with the separate layers, in
     * training and evaluation.
     */
    @Test
    void reluFusedIntoBatchNormAgreesBitForBit() {
        Shape in = Shape.of(3, 9, 9);
        Supplier<List<Layer>> layers = () -> List.of(new Conv2d(4, 3, 1, 1), new BatchNorm2d(), new ReLU(), new MaxPool2d(2),
                new Conv2d(5, 3, 1, 1), new BatchNorm2d(), new ReLU(), new Flatten(), new Dense(3));
        List<Layer> fusedLayers = layers.get();
        Sequential fused = new Sequential(in, ParallelExecutor.SEQUENTIAL, fusedLayers);
        fused.initialize(3);
        assertEquals("BatchNorm2d(4) + ReLU", fusedLayers.get(1).describe());
        assertEquals("ReLU (fused)", fusedLayers.get(2).describe());
        SplittableRandom r = new SplittableRandom(9);
        for (int i : new int[] {1, 5}) { // γ and β away from the identity, so the mask depends on them
            for (Param p : fusedLayers.get(i).params()) for (int k = 0; k < p.size(); k++) p.value().data()[k] = (float) r.nextGaussian();
        }
        List<Layer> plain = layers.get();
        buildWithWeightsOf(plain, in, fusedLayers);
        assertEquals("BatchNorm2d(4)", plain.get(1).describe());

        Tensor x = random(in.withBatch(3), 1);
        assertSameStep(fused, fusedLayers, plain, x, random(Shape.of(3, 3), 2));

        Tensor eval = fused.forward(x, false);
        Tensor e = x;
        for (Layer l : plain) e = l.forward(e, false);
        assertArrayEquals(e.toArray(), eval.toArray(), "evaluation");
    }

    /**
     * residual block → ReLU, for a block that keeps the shape (identity shortcut: the masked
     * gradient is staged in the block's input-gradient buffer) and one that changes it (strided
     * convolution shortcut: staged apart): the block rectifies its sum and masks its own gradient;
     * outputs and every parameter gradient agree bit for bit with the separate ReLU layers, on two
     * threads (the sums are split over the batch) as on one.
     */
    @Test
    void reluFusedIntoResidualBlocksAgreesBitForBit() {
        Shape in = Shape.of(3, 9, 9);
        Supplier<List<Layer>> layers = () -> List.of(new Conv2d(4, 3, 1, 1),
                new Residual(List.of(new Conv2d(4, 3, 1, 1), new BatchNorm2d(), new ReLU(), new Conv2d(4, 3, 1, 1)), List.of()), new ReLU(),
                new Residual(List.of(new Conv2d(6, 3, 2, 1), new ReLU(), new Conv2d(6, 3, 1, 1)), List.of(new Conv2d(6, 1, 2, 0))), new ReLU(),
                new Flatten(), new Dense(3));
        try (ParallelExecutor two = new ParallelExecutor(2)) {
            List<Layer> fusedLayers = layers.get();
            Sequential fused = new Sequential(in, two, fusedLayers);
            fused.initialize(3);
            assertEquals("Residual(4 layers) + ReLU", fusedLayers.get(1).describe());
            assertEquals("ReLU (fused)", fusedLayers.get(4).describe());
            List<Layer> plain = layers.get();
            buildWithWeightsOf(plain, in, fusedLayers);
            assertEquals("ReLU", plain.get(2).describe());
            for (long seed = 1; seed <= 2; seed++) {
                assertSameStep(fused, fusedLayers, plain, random(in.withBatch(5), seed), random(Shape.of(5, 3), seed + 10));
            }
        }
    }

    /**
     * conv → ReLU → max-pool runs as one step, while the model keeps its three layers: each of
     * them, run on its own in evaluation (as the divergence diagnosis does), still gives what the
     * fused step gives, and each keeps its declared shapes.
     */
    @Test
    void pooledConvolutionIsOneStepOverUnchangedLayers() {
        Shape in = Shape.of(2, 8, 8);
        List<Layer> layers = List.of(new Conv2d(3, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Dense(4));
        Sequential model = new Sequential(in, ParallelExecutor.SEQUENTIAL, layers);
        model.initialize(5);
        assertEquals(3, model.steps().size());
        assertInstanceOf(PooledConvolution.class, model.steps().getFirst());
        assertEquals(layers, model.layers());

        Tensor x = random(in.withBatch(2), 7);
        float[] fused = model.forward(x, false).toArray();
        Tensor t = x;
        for (Layer l : layers) t = l.forward(t, false);
        assertArrayEquals(fused, t.toArray());
        assertEquals(Shape.of(2, 3, 8, 8), layers.getFirst().forward(x, false).shape());

        // A training forward through the step, then the convolution's own backward: refused, not a wrong gradient.
        model.forward(x, true);
        Conv2d conv = (Conv2d) layers.getFirst();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> conv.backward(random(Shape.of(2, 3, 8, 8), 1), true));
        assertEquals(true, e.getMessage().contains("backwardPooled"), e.getMessage());
    }

    /** Builds the layers one by one (nothing fuses them) with the weights of the fused model's layers. */
    private static void buildWithWeightsOf(List<Layer> plain, Shape in, List<Layer> fusedLayers) {
        Shape s = in;
        for (Layer l : plain) s = l.build(s);
        for (int i = 0; i < plain.size(); i++) {
            List<Param> a = fusedLayers.get(i).params(), b = plain.get(i).params();
            for (int p = 0; p < a.size(); p++) System.arraycopy(a.get(p).value().data(), 0, b.get(p).value().data(), 0, a.get(p).size());
        }
    }

    /** One training forward and backward through both: the same output and every parameter gradient, bit for bit. */
    private static void assertSameStep(Sequential fused, List<Layer> fusedLayers, List<Layer> plain, Tensor x, Tensor g) {
        Tensor yFused = fused.forward(x, true);
        Tensor y = x;
        for (Layer l : plain) y = l.forward(y, true);
        assertArrayEquals(y.toArray(), yFused.toArray());
        fused.backward(g);
        Tensor d = g;
        for (int i = plain.size() - 1; i >= 0; i--) d = plain.get(i).backward(d, i > 0);
        for (int i = 0; i < plain.size(); i++) {
            List<Param> a = fusedLayers.get(i).params(), b = plain.get(i).params();
            for (int p = 0; p < a.size(); p++) assertArrayEquals(b.get(p).grad().toArray(), a.get(p).grad().toArray(), "layer " + i);
        }
    }
}
