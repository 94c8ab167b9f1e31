package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.nn.Sequential;
import org.panamacnn.nn.Graph;
import org.panamacnn.nn.LayerSpec;
import org.panamacnn.nn.Models;
import static org.panamacnn.nn.TestSupport.assertMessageNames;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.AllocationBudget;
import org.panamacnn.tensor.Shape;

/** The ready model definitions in models/ build, with the parameter counts their descriptions give; bad files are named. */
class ModelDefinitionTest {
    private static final Path MODELS = Path.of("..", "models");

    private static Sequential load(String name, Shape input) throws Exception {
        return ModelDefinition.load(MODELS.resolve(name), input, 10, ParallelExecutor.SEQUENTIAL);
    }

    @Test
    void readyDefinitionsBuild() throws Exception {
        Shape grey = Shape.of(1, 28, 28), colour = Shape.of(3, 32, 32);
        assertEquals(Models.defaultCnn(grey, 10, ParallelExecutor.SEQUENTIAL).summary(), load("default-cnn.json", grey).summary());
        assertEquals(Shape.of(4096), load("notes-conv16.json", colour).shapeBefore(4));
        assertEquals(Shape.of(8192), load("notes-conv16-conv32.json", colour).shapeBefore(6));
        Sequential resnet = load("small-resnet.json", grey);
        assertEquals(Shape.of(10), resnet.outputShape());
        assertTrue(resnet.parameterCount() > 600_000 && resnet.parameterCount() < 800_000, resnet.summary());
        assertEquals(Shape.of(10), load("small-bn-cnn.json", grey).outputShape());
        Sequential inception = load("small-inception.json", grey);
        Graph g = (Graph) inception.layers().getFirst();
        assertEquals(42, g.nodes().size());
        assertEquals(List.of("a1_relu", "a3_relu", "a5_relu"), g.nodes().get(17).inputs());
        assertEquals(Shape.of(10), inception.outputShape());
        // the text form in a model file's metadata builds the same graph
        assertEquals(g.spec(), LayerSpec.parse(g.spec()).spec());
    }

    @Test
    void everyReadyDefinitionDeclaresTheInputItWasDesignedFor() throws Exception {
        assertEquals(Optional.of(Shape.of(1, 28, 28)), ModelDefinition.declaredInput(MODELS.resolve("small-resnet.json")));
        assertEquals(Optional.of(Shape.of(3, 32, 32)), ModelDefinition.declaredInput(MODELS.resolve("notes-conv16.json")));
        try (var files = Files.list(MODELS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                assertTrue(ModelDefinition.declaredInput(f).isPresent(), f + " declares no input");
            }
        }
        // ResNet-18 in its CIFAR form: torchvision's resnet18 stages, 3×3 stem, 10 classes (PyTorch counts 11,173,962)
        Path r18 = MODELS.resolve("large").resolve("resnet18-cifar.json");
        Shape in = ModelDefinition.declaredInput(r18).orElseThrow();
        assertEquals(Shape.of(3, 32, 32), in);
        assertEquals(11_173_962L, ModelDefinition.load(r18, in, 10, ParallelExecutor.SEQUENTIAL).parameterCount());
    }

    @Test
    void aGraphDefinitionNamesTensorsByNodeInModelFilesAndCheckpoints(@TempDir Path dir) throws Exception {
        Shape grey = Shape.of(1, 28, 28);
        Sequential inception = load("small-inception.json", grey);
        assertTrue(inception.weights().byName().containsKey("stem.weight"), inception.weights().byName().keySet().toString());
        inception.initialize(2);
        org.panamacnn.optim.Sgd sgd = new org.panamacnn.optim.Sgd(0.01f, 0.9f, 0f, false);
        org.panamacnn.train.Trainer trainer = new org.panamacnn.train.Trainer(inception, new org.panamacnn.loss.SoftmaxCrossEntropy(), sgd, 2, 2);
        trainer.step(new org.panamacnn.tensor.Tensor(grey.withBatch(2), new float[2 * grey.size()]), new int[] {1, 2});
        Path file = dir.resolve("c.safetensors");
        Checkpoint.save(file, inception, sgd, 1, 2, java.util.Map.of());
        java.util.Set<String> names = SafeTensors.read(file).tensors().keySet();
        assertTrue(names.contains("stem.weight") && names.contains("optimizer.velocity.stem.weight"), names.toString());
        org.panamacnn.optim.Sgd again = new org.panamacnn.optim.Sgd(0.01f, 0.9f, 0f, false);
        Checkpoint.Restored r = Checkpoint.restore(file, again, ParallelExecutor.SEQUENTIAL);
        assertEquals(inception.summary(), r.model().summary());
        org.panamacnn.nn.Param stem = r.model().layers().getFirst().namedParams().get("stem.weight");
        org.junit.jupiter.api.Assertions.assertArrayEquals(sgd.slots(inception.layers().getFirst().namedParams().get("stem.weight")).get("velocity"),
                again.slots(stem).get("velocity"));
    }

    @Test
    void aBadDeclaredInputNamesTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        for (String bad : List.of("\"3,32\"", "\"3,x,32\"", "\"0,32,32\"", "[3, 32, 32]")) {
            Files.writeString(f, "{\"input\": " + bad + ", \"layers\": [\"flatten\"]}");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelDefinition.declaredInput(f));
            assertTrue(e.getMessage().startsWith(f + ": \"input\""), e.getMessage());
        }
        Files.writeString(f, "{\"layers\": [\"flatten\"]}");
        assertEquals(Optional.empty(), ModelDefinition.declaredInput(f));
    }

    @Test
    void badGraphFilesNameTheNode(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("g.json");
        Shape in = Shape.of(1, 8, 8);
        Files.writeString(f, "{\"graph\": [{\"name\": \"a\", \"layer\": \"conv2d out=4 kernel=3\"},"
                + " {\"name\": \"b\", \"layer\": \"conv2d out=4 kernel=1\", \"inputs\": \"input\"},"
                + " {\"name\": \"s\", \"layer\": \"add\", \"inputs\": [\"a\", \"b\"]}]}");
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                () -> ModelDefinition.load(f, in, 10, ParallelExecutor.SEQUENTIAL)), "g.json", "'s'", "[4, 6, 6]", "[4, 8, 8]");
        Files.writeString(f, "{\"graph\": [{\"name\": \"a\", \"layer\": \"relu\", \"input\": \"x\"}]}");
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                () -> ModelDefinition.load(f, in, 10, ParallelExecutor.SEQUENTIAL)), "g.json", "graph node 0", "\"input\"");
        Files.writeString(f, "{\"graph\": [{\"name\": \"a\", \"layer\": \"relu\", \"inputs\": \"nowhere\"}]}");
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                () -> ModelDefinition.load(f, in, 10, ParallelExecutor.SEQUENTIAL)), "g.json", "'nowhere'");
        Files.writeString(f, "{\"graph\": [], \"layers\": [\"relu\"]}");
        assertMessageNames(assertThrows(IllegalArgumentException.class,
                () -> ModelDefinition.load(f, in, 10, ParallelExecutor.SEQUENTIAL)), "either");
    }

    @Test
    void badFilesAreNamed(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.json");
        Files.writeString(f, "{\"layers\": [\"conv2d out=8 kernel=3\", \"nonsense\"]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelDefinition.load(f, Shape.of(1, 8, 8), 10, ParallelExecutor.SEQUENTIAL));
        assertTrue(e.getMessage().contains("m.json") && e.getMessage().contains("layer 1"), e.getMessage());
        Files.writeString(f, "[1, 2]");
        assertThrows(IllegalArgumentException.class, () -> ModelDefinition.load(f, Shape.of(1, 8, 8), 10, ParallelExecutor.SEQUENTIAL));
    }
    @Test
    void aDefinitionAskingForMoreParametersThanTheBudgetHoldsIsRefusedBeforeTheyAreMade(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("wide.json");
        // 144 inputs × 88,888 outputs: 12.8 M parameters, 51 MB
        Files.writeString(f, "{\"layers\": [\"flatten\", \"dense out=88888\", \"dense out=classes\"]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllocationBudget.withLimit(1 << 20,
                () -> load(f, Shape.of(1, 12, 12))));
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains("parameter 1.weight[88888, 144] would take the model past the 262,144 parameters"),
                e.getMessage());
        // the same file under the default budget builds
        assertEquals(3, load(f, Shape.of(1, 12, 12)).layers().size());
    }

    private static Sequential load(Path f, Shape in) {
        try {
            return ModelDefinition.load(f, in, 10, ParallelExecutor.SEQUENTIAL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
