package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.infer.Predictor;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/** Metadata that disagrees with its model is refused when written and when read, naming the file, the key and both figures. */
class ModelMetadataTest {
    @TempDir
    Path dir;

    private static Sequential model() {
        Sequential m = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        m.initialize(1);
        return m;
    }

    private static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) names.add("class " + i);
        return names;
    }

    /** A file saved consistently, then its metadata changed behind the writer's back. */
    private Path tampered(String key, String value) throws IOException {
        Path file = dir.resolve(key + ".safetensors");
        ModelFile.save(file, model(), Map.of());
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put(key, value);
        SafeTensors.write(file, new ArrayList<>(c.tensors().values()), meta);
        return file;
    }

    @Test
    void classNamesThatDoNotMatchTheOutputsAreRefusedOnSaveAndOnLoad() throws IOException {
        Path file = dir.resolve("m.safetensors");
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.save(file, model(), Map.of("classes", ClassNames.toMetadata(names(20)))));
        assertEquals(file + ": metadata lists 20 class names but the model has 10 outputs", e.getMessage());
        assertFalse(Files.exists(file));
        Path bad = tampered("classes", String.join(",", names(20)));
        e = assertThrows(ModelFormatException.class, () -> Predictor.load(bad));
        assertEquals(bad + ": metadata lists 20 class names but the model has 10 outputs", e.getMessage());
    }

    @Test
    void aNormalisationForOtherChannelsIsRefused() throws IOException {
        Path bad = tampered("normalization", "0.5,0.5,0.5;0.2,0.2,0.2");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Predictor.load(bad));
        assertEquals(bad + ": metadata normalises 3 channels but the model takes 1-channel images [1, 28, 28]", e.getMessage());
        Path junk = tampered("normalization", "abc;0.3");
        e = assertThrows(ModelFormatException.class, () -> Predictor.load(junk));
        assertTrue(e.getMessage().startsWith(junk + ": bad normalization in metadata: normalization value 'abc' is not a number"), e.getMessage());
    }

    @Test
    void classNamesWithCommasSurviveAsAJsonListAndOldFilesStillRead() throws IOException {
        List<String> names = new ArrayList<>(names(10));
        names.set(0, "cat,dog");
        names.set(1, "say \"hi\"");
        Path file = dir.resolve("commas.safetensors");
        ModelFile.save(file, model(), Map.of("classes", ClassNames.toMetadata(names)));
        String stored = ModelFile.load(file, ParallelExecutor.SEQUENTIAL).metadata().get("classes");
        assertEquals(names, ClassNames.fromMetadata(stored));
        assertEquals(List.of("a", "b", "c"), ClassNames.fromMetadata("a,b,c"));
        assertThrows(IllegalArgumentException.class, () -> ClassNames.fromMetadata("[1, 2]"));
    }

    @Test
    void aCorruptedCheckpointCounterNamesTheFileAndKey() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Sgd sgd = new Sgd(0.01f, 0.9f, 0, false);
        Checkpoint.save(file, model(), sgd, 2, 42, Map.of());
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put("optimizer_steps", "abc");
        SafeTensors.write(file, new ArrayList<>(c.tensors().values()), meta);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Checkpoint.restore(file, new Sgd(0.01f, 0.9f, 0, false), ParallelExecutor.SEQUENTIAL));
        assertEquals(file + ": metadata optimizer_steps \"abc\" is not a whole number", e.getMessage());
    }
}
