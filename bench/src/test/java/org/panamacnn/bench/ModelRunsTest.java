package org.panamacnn.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.cli.report.BenchSettings;
import org.panamacnn.cli.report.LayerProfile;
import org.panamacnn.cli.report.TorchComparison;

/** The models suite's own runs: a profile per definition in its own JVM, and PyTorch said missing in one line. */
class ModelRunsTest {
    @Test
    void eachDefinitionIsProfiledInItsOwnJvmAndAMissingScriptIsSaid(@TempDir Path dir) throws Exception {
        Path project = dir.resolve("project");
        Files.createDirectories(project.resolve("models"));
        Files.copy(Path.of("../models/notes-conv16.json"), project.resolve("models/notes-conv16.json"));
        Files.writeString(project.resolve("models/README.txt"), "not a definition");
        Path out = Files.createDirectories(dir.resolve("out"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        new ModelRuns(out, new BenchSettings(project, null, 1), new PrintStream(progress, true, StandardCharsets.UTF_8)).run();
        assertEquals("[profile 1/1] notes-conv16.json", progress.toString(StandardCharsets.UTF_8).strip());
        LayerProfile p = LayerProfile.read(out.resolve("layers-notes-conv16.json"));
        assertEquals("3x32x32", p.shape());
        assertEquals(ModelRuns.BATCH, p.batch());
        assertTrue(p.rows().getFirst().forwardFlops() > 0, p.rows().getFirst().toString());
        TorchComparison t = TorchComparison.read(out.resolve(TorchComparison.FILE));
        assertTrue(t.missing().startsWith("no PyTorch reference script was given (bench --torch-bench FILE, or PANAMA_CNN_TORCH_BENCH"), t.missing());
        assertTrue(t.models().isEmpty());

        new ModelRuns(out, new BenchSettings(project, dir.resolve("gone.py"), 1), new PrintStream(new ByteArrayOutputStream())).torch(List.of())
                .write(out.resolve(TorchComparison.FILE));
        assertEquals("the PyTorch reference script " + dir.resolve("gone.py") + " is missing", TorchComparison.read(out.resolve(TorchComparison.FILE)).missing());
    }

    @Test
    void imagesPerSecondComeFromTheResultLineOfTheLayout() {
        List<String> out = List.of("WARNING: something", "RESULT engine=torch layout=nchw img_s=500.5", "RESULT engine=torch layout=cl img_s=520.0");
        assertEquals(500.5, ModelRuns.imagesPerSecond(out, "nchw"));
        assertEquals(520.0, ModelRuns.imagesPerSecond(out, "cl"));
        assertEquals(500.5, ModelRuns.imagesPerSecond(out, null));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModelRuns.imagesPerSecond(List.of("Traceback", "boom"), "cl"));
        assertEquals("no RESULT line for layout cl in: Traceback / boom", e.getMessage());
    }

    @Test
    void aCheckoutWithoutModelsIsNamed(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRuns.definitions(dir));
        assertEquals(dir.resolve("models") + ": no such directory (the model definitions of the models suite)", e.getMessage());
    }
}
