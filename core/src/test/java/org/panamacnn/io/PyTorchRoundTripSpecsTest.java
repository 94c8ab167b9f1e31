package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.LayerSpec;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.Trainer;

/**
 * scripts/pytorch_roundtrip.py builds every layer spec LayerSpec reads: the script names each of them
 * (read from LayerSpec's source), and a model of the specs added after the first ones (pools with
 * padding, ceil mode and count_include_pad, the adaptive pool, tanh and GELU both ways, per-channel
 * constants, LayerNorm2d, layer norm over [C, H, W], group norm), trained one step from Java, loads into
 * PyTorch with load_state_dict(strict=True) and gives panama-cnn's logits to 1e-4 (when python3 has numpy and torch).
 */
class PyTorchRoundTripSpecsTest {
    private static final Path SCRIPT = Path.of("..", "scripts", "pytorch_roundtrip.py");

    @Test
    void theScriptNamesEverySpecLayerSpecReads() throws IOException {
        String source = Files.readString(Path.of("src/main/java/org/panamacnn/nn/LayerSpec.java"));
        String parse = source.substring(source.indexOf("Layer layer = switch (parts[0])"), source.indexOf("default -> throw new IllegalArgumentException(\"unknown layer"));
        TreeSet<String> specs = new TreeSet<>();
        Matcher cases = Pattern.compile("case ((?:\"[a-z0-9]+\"(?:, )?)+) ->").matcher(parse);
        while (cases.find()) {
            Matcher w = Pattern.compile("\"([a-z0-9]+)\"").matcher(cases.group(1));
            while (w.find()) specs.add(w.group(1));
        }
        assertTrue(specs.size() > 20 && specs.contains("conv2d") && specs.contains("groupnorm"), specs.toString());
        String script = Files.readString(SCRIPT);
        List<String> missing = new ArrayList<>();
        for (String s : specs) {
            if (s.equals("none")) continue; // gelu's approximate=none (a value, not a layer)
            if (!script.contains("\"" + s + "\":")) missing.add(s);
        }
        assertEquals(List.of(), missing, "specs scripts/pytorch_roundtrip.py cannot build");
    }

    @Test
    void aModelOfTheLaterSpecsLoadsIntoPyTorchAndAgrees(@TempDir Path dir) throws Exception {
        String missing = pythonLacks();
        if (missing != null) System.err.println("NOTICE: the later specs not checked against PyTorch: " + missing);
        Assumptions.assumeTrue(missing == null, "NOTICE: the later specs not checked against PyTorch: " + missing);
        Shape input = Shape.of(3, 17, 15);
        List<Layer> layers = new ArrayList<>();
        for (String spec : new String[] {"affine scale=1.5,0.5,2.0 shift=-0.25", "divide by=0.5,1.0,2.0", "conv2d out=8 kernel=3 pad=1",
                "layernorm2d eps=1e-6", "gelu", "maxpool2d window=3 stride=2 pad=1 ceil=true", "conv2d out=12 kernel=3 pad=1",
                "groupnorm groups=4", "tanh", "avgpool2d window=3 stride=2 pad=1 ceil=true count_include_pad=false",
                "conv2d out=8 kernel=3 pad=1", "groupnorm groups=1 eps=1e-3", "layernorm", "gelu approximate=tanh",
                "adaptiveavgpool2d out=3,2", "avgpool2d window=2 stride=1 pad=1", "relu6", "flatten", "dense out=5"}) {
            layers.add(LayerSpec.parse(spec));
        }
        Sequential model = new Sequential(input, ParallelExecutor.SEQUENTIAL, layers);
        model.initialize(11);
        Random rnd = new Random(12);
        int batch = 3;
        Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.05f, 0.9f, 0f, false), batch, 7);
        for (int i = 0; i < 3; i++) trainer.step(new Tensor(input.withBatch(batch), gaussian(rnd, batch * input.size())), new int[] {1, 4, 2});
        Path file = dir.resolve("later-specs.safetensors");
        ModelFile.save(file, model, Map.of());
        float[] x = gaussian(rnd, batch * input.size());
        float[] logits = model.forward(new Tensor(input.withBatch(batch), x.clone()), false).toArray();
        Path errors = dir.resolve("stderr");
        Process p = new ProcessBuilder("python3", SCRIPT.toString(), "--tol", "1e-4", "--compare-logits", file.toString(),
                write(dir.resolve("x.f32"), x).toString(), write(dir.resolve("logits.f32"), logits).toString()).redirectError(errors.toFile()).start();
        try {
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "PyTorch's check did not end in 5 minutes\n" + log);
            System.out.print(log);
            assertEquals(0, p.exitValue(), log + Files.readString(errors));
            assertTrue(log.contains("the literal architecture, load_state_dict(strict=True)"), log);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Why python3 cannot run the check (no numpy or torch), or null when it can. */
    private static String pythonLacks() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import importlib.util as u, sys; "
                    + "m = [n for n in ('numpy', 'torch') if u.find_spec(n) is None]; print(', '.join(m)); sys.exit(1 if m else 0)")
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
