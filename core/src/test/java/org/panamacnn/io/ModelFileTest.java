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

    /** The same model and metadata give the same bytes, in whatever order the caller's map lists the metadata. */
    @Test
    void theSameModelAndMetadataGiveTheSameBytes() throws Exception {
        Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        model.initialize(5);
        Map<String, String> ab = new java.util.LinkedHashMap<>(), ba = new java.util.LinkedHashMap<>();
        ab.put("test_fraction", "0.1");
        ab.put("normalization", "0.286;0.353");
        ba.put("normalization", "0.286;0.353");
        ba.put("test_fraction", "0.1");
        ModelFile.save(dir.resolve("ab.safetensors"), model, ab);
        ModelFile.save(dir.resolve("ba.safetensors"), model, ba);
        assertArrayEquals(java.nio.file.Files.readAllBytes(dir.resolve("ab.safetensors")), java.nio.file.Files.readAllBytes(dir.resolve("ba.safetensors")));
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

    /** A safetensors file: 8-byte little-endian header length, the header, then data. */
    private Path safetensors(String name, String header, int dataBytes) throws java.io.IOException {
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve(name);
        java.nio.file.Files.write(f, b.array());
        return f;
    }

    private static long allocatedWhileFailing(org.junit.jupiter.api.function.Executable r, String expected) {
        var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        ModelFormatException e = assertThrows(ModelFormatException.class, r);
        long bytes = bean.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        return bytes;
    }

    @Test
    void aHeaderClaimingAHugeLayerIsRefusedBeforeItsWeightsAreAllocated() throws Exception {
        String arch = "[\\\"conv2d in=1 out=100000000 kernel=3 stride=1 pad=1\\\", \\\"flatten\\\", \\\"dense in=10 out=2\\\"]";
        Path f = safetensors("huge.safetensors", "{\"__metadata__\":{\"format\":\"panama-cnn/1\",\"input_shape\":\"1,8,8\","
                + "\"architecture\":\"" + arch + "\"},\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
        long bytes = allocatedWhileFailing(() -> ModelFile.load(f, ParallelExecutor.SEQUENTIAL), "needs more values than the file holds");
        assertTrue(bytes < 16 << 20, "allocated " + bytes);
    }

    @Test
    void tensorsThatOverlapOrLeaveGapsAreRefusedBeforeReading() throws Exception {
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; i < 200; i++) h.append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[262144],\"data_offsets\":[0,1048576]},");
        h.setLength(h.length() - 1);
        Path f = safetensors("overlap.safetensors", h.append("}").toString(), 1 << 20);
        long bytes = allocatedWhileFailing(() -> SafeTensors.read(f), "overlapping tensors");
        assertTrue(bytes < 16 << 20, "200 views of one MiB must not become 200 MiB: allocated " + bytes);
        Path gap = safetensors("gap.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        allocatedWhileFailing(() -> SafeTensors.read(gap), "a gap");
    }
}
