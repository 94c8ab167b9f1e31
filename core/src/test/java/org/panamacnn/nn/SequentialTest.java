package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.nn.TestSupport.assertMessageNames;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/** Shape inference, the summary, and the errors for mismatched shapes and misuse. */
class SequentialTest {

    private static Sequential sixLayerModel() {
        return new Sequential(Shape.of(3, 32, 32), new Conv2d(16, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 3, 2, 1), new Flatten(), new Dense(10));
    }

    @Test
    void infersEveryShape() {
        Sequential model = sixLayerModel();
        Shape[] expected = {Shape.of(3, 32, 32), Shape.of(16, 32, 32), Shape.of(16, 32, 32), Shape.of(16, 16, 16),
                Shape.of(32, 8, 8), Shape.of(2048), Shape.of(10)};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], model.shapeBefore(i), "shape before layer " + i + "\n" + model.summary());
        }
        assertEquals(Shape.of(3, 32, 32), model.inputShape());
        assertEquals(Shape.of(10), model.outputShape());

        List<Param> params = model.params();
        int[] sizes = {16 * 3 * 9, 16, 32 * 16 * 9, 32, 10 * 2048, 10};
        assertEquals(sizes.length, params.size(), "weight and bias of conv, conv and dense: " + params);
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(sizes[i], params.get(i).size(), "parameter " + i + " " + params.get(i));
            total += sizes[i];
        }
        assertEquals(total, model.parameterCount());
        assertEquals(Shape.of(32, 16, 3, 3), params.get(2).value().shape(), "second conv weight");
        assertEquals(Shape.of(10, 2048), params.get(4).value().shape(), "dense weight");
    }

    @Test
    void summaryHasOneLinePerLayer() {
        Sequential model = sixLayerModel();
        String summary = model.summary();
        String[] lines = summary.split("\\R");
        assertEquals(1 + 1 + 6 + 1, lines.length, "header, input, 6 layers, total:\n" + summary);
        String[][] rows = {
                {"Conv2d(3→16, 3×3, stride 1, pad 1)", "[16, 32, 32]", "448"},
                {"ReLU", "[16, 32, 32]", "0"},
                {"MaxPool2d(2×2, stride 2)", "[16, 16, 16]", "0"},
                {"Conv2d(16→32, 3×3, stride 2, pad 1)", "[32, 8, 8]", "4640"},
                {"Flatten", "[2048]", "0"},
                {"Dense(2048→10)", "[10]", "20490"}};
        assertTrue(lines[1].contains("[3, 32, 32]"), "input line: " + lines[1]);
        for (int i = 0; i < rows.length; i++) {
            String line = lines[2 + i];
            assertTrue(line.startsWith(rows[i][0]), "layer " + i + " line: " + line);
            assertTrue(line.contains(rows[i][1]), "layer " + i + " output shape: " + line);
            assertTrue(line.trim().endsWith(" " + rows[i][2]), "layer " + i + " parameter count: " + line);
        }
        assertTrue(lines[8].startsWith("total") && lines[8].trim().endsWith(" " + (448 + 4640 + 20490)),
                "total line: " + lines[8]);
    }

    /** Models whose layers cannot take their input, and what the message must name. */
    static Stream<Arguments> mismatches() {
        return Stream.of(
                Arguments.of("Dense(100, 10) after a flatten of 2048",
                        (Supplier<Sequential>) () -> new Sequential(Shape.of(8, 16, 16), new Flatten(), new Dense(100, 10)),
                        new String[] {"layer 1", "Dense(100→10)", "[100]", "[2048]"}),
                Arguments.of("Conv2d(3→8) fed 1 channel",
                        (Supplier<Sequential>) () -> new Sequential(Shape.of(1, 28, 28), new Conv2d(3, 8, 3, 1, 1)),
                        new String[] {"layer 0", "Conv2d(3→8, 3×3, stride 1, pad 1)", "3 input channels", "[1, 28, 28]"}),
                Arguments.of("Dense on an image",
                        (Supplier<Sequential>) () -> new Sequential(Shape.of(3, 8, 8), new Conv2d(4, 3, 1, 1), new Dense(10)),
                        new String[] {"layer 1", "Dense(?→10)", "[4, 8, 8]", "Flatten"}),
                Arguments.of("a pooling window larger than the image",
                        (Supplier<Sequential>) () -> new Sequential(Shape.of(2, 5, 5), new Conv2d(2, 3, 2, 0), new MaxPool2d(3)),
                        new String[] {"layer 1", "MaxPool2d(3×3, stride 3)", "[2, 2, 2]"}),
                Arguments.of("a kernel larger than the padded image",
                        (Supplier<Sequential>) () -> new Sequential(Shape.of(1, 4, 9), new Conv2d(1, 2, 7, 1, 1)),
                        new String[] {"layer 0", "Conv2d(1→2, 7×7, stride 1, pad 1)", "[1, 4, 9]"}),
                Arguments.of("a convolution on a flat input",
                        (Supplier<Sequential>) () -> new Sequential(Shape.of(3, 4, 4), new Flatten(), new Conv2d(2, 3, 1, 1)),
                        new String[] {"layer 1", "[48]"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mismatches")
    void mismatchNamesTheLayerAndBothShapes(String what, Supplier<Sequential> model, String[] names) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, model::get, what);
        assertMessageNames(e, names);
    }

    @Test
    void forwardWithAWrongInputShapeNamesExpectedAndActual() {
        Sequential model = sixLayerModel();
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                        () -> model.forward(new Tensor(Shape.of(2, 1, 32, 32)), true)),
                "[batch, 3, 32, 32]", "[2, 1, 32, 32]");
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                        () -> model.forward(new Tensor(Shape.of(3, 32, 32)), false)), // no batch dimension
                "[batch, 3, 32, 32]", "[3, 32, 32]");

        // The layers check too, when used on their own.
        Conv2d conv = new Conv2d(3, 4, 3, 1, 1);
        conv.build(Shape.of(3, 32, 32));
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                        () -> conv.forward(new Tensor(Shape.of(2, 3, 31, 32)), true)),
                "Conv2d(3→4", "[batch, 3, 32, 32]", "[2, 3, 31, 32]");
        Dense dense = new Dense(12, 3);
        dense.build(Shape.of(12));
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                        () -> dense.forward(new Tensor(Shape.of(2, 13)), true)),
                "Dense(12→3)", "[batch, 12]", "[2, 13]");
        MaxPool2d pool = new MaxPool2d(2);
        pool.build(Shape.of(1, 6, 6));
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                        () -> pool.forward(new Tensor(Shape.of(2, 6, 6)), true)),
                "MaxPool2d", "[batch, 1, 6, 6]", "[2, 6, 6]");
    }

    @Test
    void backwardBeforeForwardIsAnIllegalState() {
        Sequential model = sixLayerModel();
        Tensor grad = new Tensor(Shape.of(2, 10));
        assertThrows(IllegalStateException.class, () -> model.backward(grad), "model backward before any forward");
        model.forward(new Tensor(Shape.of(2, 3, 32, 32)), false);
        assertThrows(IllegalStateException.class, () -> model.backward(grad), "model backward after an inference forward");
    }

    /** Each layer with state: backward with no forward, and after an inference-only forward. */
    static Stream<Arguments> statefulLayers() {
        return Stream.of(
                Arguments.of((Supplier<Layer>) () -> new Conv2d(2, 3, 3, 1, 1), Shape.of(2, 5, 5)),
                Arguments.of((Supplier<Layer>) () -> new Dense(7, 2), Shape.of(7)),
                Arguments.of((Supplier<Layer>) ReLU::new, Shape.of(2, 3, 3)),
                Arguments.of((Supplier<Layer>) () -> new MaxPool2d(2), Shape.of(2, 4, 4)));
    }

    @ParameterizedTest
    @MethodSource("statefulLayers")
    void layerBackwardNeedsATrainingForward(Supplier<Layer> make, Shape in) {
        Layer fresh = make.get();
        Shape out = fresh.build(in);
        Tensor grad = new Tensor(out.withBatch(2));
        assertMessageNames(assertThrows(IllegalStateException.class, () -> fresh.backward(grad, true)),
                fresh.describe());

        Layer inference = make.get();
        inference.build(in);
        inference.forward(new Tensor(in.withBatch(2)), false);
        assertThrows(IllegalStateException.class, () -> inference.backward(grad, true),
                inference.describe() + " after an inference forward");

        Layer trained = make.get();
        trained.build(in);
        trained.forward(new Tensor(in.withBatch(2)), true);
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                () -> trained.backward(new Tensor(out.withBatch(3)), true)), "3", "2");

        Layer unbuilt = make.get();
        assertThrows(IllegalStateException.class, () -> unbuilt.forward(new Tensor(in.withBatch(1)), true),
                unbuilt.describe() + " before build");
    }

    @Test
    void emptyModelIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Sequential(Shape.of(1, 2, 2)));
    }

    @Test
    void constructorArgumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(0, 3, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 3, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new Dense(0));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(0));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 0));
    }
}
