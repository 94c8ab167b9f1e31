package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.Trainer;

/**
 * The torchvision-scale definitions in models/large/ (resnet18, resnet50, mobilenet_v2) build at
 * their declared 3×224×224 with torchvision's parameter counts and save their tensors under
 * torchvision's state_dict keys; with python3 and torch + torchvision, each trained one step from
 * Java loads into torchvision's own class with load_state_dict(strict=True) and gives panama-cnn's
 * logits to 1e-4 (scripts/pytorch_roundtrip.py --compare-logits).
 */
class TorchvisionDefinitionsTest {
    private static final Path LARGE = Path.of("..", "models", "large");

    /**
     * Parameter counts with 1,000 classes and tensor counts (torchvision's state_dict keys less its
     * batch norms' num_batches_tracked), as torchvision 0.28 gives them.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet18, 11689512, 102", "resnet50, 25557032, 267", "mobilenet_v2, 3504872, 262"})
    void definitionsBuildWithTorchvisionsCountsAndNames(String name, long parameters, int tensors) throws Exception {
        Path file = LARGE.resolve(name + ".json");
        Shape input = ModelDefinition.declaredInput(file).orElseThrow();
        assertEquals(Shape.of(3, 224, 224), input);
        Sequential model = ModelDefinition.load(file, input, 1000, ParallelExecutor.SEQUENTIAL);
        assertEquals(parameters, model.parameterCount(), name);
        Map<String, Tensor> byName = model.weights().byName();
        assertEquals(tensors, byName.size(), name);
        Set<String> expected = name.startsWith("resnet")
                ? Set.of("conv1.weight", "bn1.running_mean", "layer1.0.conv1.weight", "layer2.0.downsample.0.weight",
                        "layer4.1.bn2.running_var", "fc.weight", "fc.bias")
                : Set.of("features.0.0.weight", "features.1.conv.0.0.weight", "features.2.conv.1.0.weight",
                        "features.17.conv.3.bias", "features.18.1.running_var", "classifier.1.weight", "classifier.1.bias");
        assertTrue(byName.keySet().containsAll(expected), name + ": " + byName.keySet());
        assertTrue(byName.keySet().stream().noneMatch(k -> k.startsWith("0.")), "named from the root, not under a layer index");
    }

    @Test
    void theirModelFilesKeepTheNamesAndReadBack(@TempDir Path dir) throws Exception {
        Path file = LARGE.resolve("mobilenet_v2.json");
        Sequential model = ModelDefinition.load(file, ModelDefinition.declaredInput(file).orElseThrow(), 5, ParallelExecutor.SEQUENTIAL);
        model.initialize(3);
        Path saved = dir.resolve("m.safetensors");
        ModelFile.save(saved, model, Map.of());
        SafeTensors.Contents contents = SafeTensors.read(saved);
        assertEquals(model.weights().byName().keySet(), contents.tensors().keySet());
        assertTrue(contents.metadata().get("architecture").startsWith("[\"graph root=true nodes=[features.0.0: conv2d in=3 out=32"),
                contents.metadata().get("architecture").substring(0, 80));
        Sequential back = ModelFile.load(saved, ParallelExecutor.SEQUENTIAL).model();
        assertEquals(model.summary(), back.summary());
    }

    /** The committed files are what scripts/make_torchvision_definitions.py writes (it needs python3 alone). */
    @Test
    void theFilesAreTheGeneratorsOutput(@TempDir Path dir) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("python3", "../scripts/make_torchvision_definitions.py", "--out", dir.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.err.println("NOTICE: no python3, the generated definitions are not compared with their generator: " + e.getMessage());
            Assumptions.abort("no python3: " + e.getMessage());
            return;
        }
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(1, TimeUnit.MINUTES), log);
        assertEquals(0, p.exitValue(), log);
        for (String name : List.of("resnet18", "resnet50", "mobilenet_v2")) {
            assertEquals(Files.readString(LARGE.resolve(name + ".json")), Files.readString(dir.resolve(name + ".json")), name);
        }
    }

    /**
     * One SGD step of each from Java (batch 2, so ResNet-50 at 224×224 stays quick), saved, then
     * loaded by scripts/pytorch_roundtrip.py (one process for the three) into torchvision's class,
     * strictly, and run on the same two random inputs as panama-cnn in evaluation mode: |logit
     * difference| at most 1e-4 times the largest |logit| when that is above 1 (ResNet-50's reach
     * thousands after one step from He initialisation, its running statistics still near their start).
     */
    @Test
    void oneTrainedStepLoadsIntoTorchvisionsClassesAndAgrees(@TempDir Path dir) throws Exception {
        String missing = pythonLacks();
        if (missing != null) System.err.println("NOTICE: torchvision definitions not checked against PyTorch: " + missing);
        Assumptions.assumeTrue(missing == null, "NOTICE: torchvision definitions not checked against PyTorch: " + missing);
        List<String> names = List.of("resnet18", "mobilenet_v2", "resnet50");
        List<String> command = new java.util.ArrayList<>(List.of("python3", "../scripts/pytorch_roundtrip.py", "--tol", "1e-4"));
        for (String name : names) {
            Path def = LARGE.resolve(name + ".json");
            Shape input = ModelDefinition.declaredInput(def).orElseThrow();
            Sequential model = ModelDefinition.load(def, input, 10, ParallelExecutor.SEQUENTIAL);
            model.initialize(7);
            Random rnd = new Random(name.hashCode());
            int batch = 2;
            Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.01f, 0.9f, 0f, false), batch, 7);
            trainer.step(new Tensor(input.withBatch(batch), gaussian(rnd, batch * input.size())), new int[] {3, 8});
            Path file = dir.resolve(name + ".safetensors");
            ModelFile.save(file, model, Map.of());
            float[] x = gaussian(rnd, batch * input.size());
            float[] logits = model.forward(new Tensor(input.withBatch(batch), x.clone()), false).toArray();
            command.addAll(List.of("--compare-logits", file.toString(), write(dir.resolve(name + ".input.f32"), x).toString(),
                    write(dir.resolve(name + ".logits.f32"), logits).toString()));
        }
        Path errors = dir.resolve("stderr");  // PyTorch's warnings (e.g. NNPACK on this CPU): shown on failure
        Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        try {
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "PyTorch's check did not end in 5 minutes\n" + log);
            System.out.print(log);
            assertEquals(0, p.exitValue(), log + Files.readString(errors));
            for (String name : names) {
                assertTrue(log.contains(name + ".safetensors: PyTorch") && log.contains("torchvision.models." + name + ", load_state_dict(strict=True)"), log);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /** Why python3 cannot run the check (no numpy, torch or torchvision), or null when it can. */
    private static String pythonLacks() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import importlib.util as u, sys; "
                    + "m = [n for n in ('numpy', 'torch', 'torchvision') if u.find_spec(n) is None]; print(', '.join(m)); sys.exit(1 if m else 0)")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(1, TimeUnit.MINUTES)) return "python3 did not answer";
            return p.exitValue() == 0 ? null : "python3 lacks " + out;
        } catch (IOException e) {
            return "no python3 (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }

    private static Path write(Path file, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return Files.write(file, b.array());
    }
}
