package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

class ModelFileTest {
    @TempDir
    Path dir;

    @Test
    void savedModelLoadsBackWithTheSameArchitectureWeightsAndOutputs() throws Exception {
        Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        model.initialize(5);
        Path f = dir.resolve("m.safetensors");
        ModelFile.save(f, model, Map.of("epochs", "3"));

        ModelFile.Loaded loaded = ModelFile.load(f, ParallelExecutor.SEQUENTIAL);
        assertEquals("3", loaded.metadata().get("epochs"));
        assertEquals(model.summary(), loaded.model().summary());
        Tensor x = new Tensor(Shape.of(2, 1, 28, 28));
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < x.size(); i++) x.data()[i] = (float) r.nextGaussian();
        assertArrayEquals(model.forward(x, false).toArray(), loaded.model().forward(x, false).toArray());
        // PyTorch's nn.Sequential names for the same layers.
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias"),
                List.copyOf(SafeTensors.read(f).tensors().keySet()));
    }

    @Test
    void aTensorOfTheWrongShapeNamesTensorLayerAndShapes() throws Exception {
        Path f = dir.resolve("m.safetensors");
        Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        ModelFile.save(f, model, Map.of());
        SafeTensors.Contents c = SafeTensors.read(f);
        List<NamedTensor> tensors = new java.util.ArrayList<>(c.tensors().values());
        tensors.set(1, new NamedTensor("0.bias", new int[] {31}, new float[31]));
        SafeTensors.write(f, tensors, c.metadata());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, ParallelExecutor.SEQUENTIAL));
        assertTrue(e.getMessage().contains("\"0.bias\"") && e.getMessage().contains("[31]") && e.getMessage().contains("[32]"),
                e.getMessage());
    }
}
