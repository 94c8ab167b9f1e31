package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.nn.BatchNorm2d;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;

/**
 * A model file saved from PyTorch (scripts/pytorch_state_dict_fixture.py: onnx's tiny-residual.safetensors
 * loaded into PyTorch, one SGD step in training mode, saved by safetensors.torch.save_file of the whole
 * state_dict with the original metadata) reads back: its int64 num_batches_tracked scalars are kept with the
 * file's tensors (as floats) and no layer takes them; the weights and moved running statistics are the file's.
 * An int64 tensor of any other name is still refused, naming it.
 */
class PyTorchStateDictTest {
    private static final Path FILE = Path.of("src/test/resources/pytorch-state-dict.safetensors");

    @Test
    void aStateDictSavedByPyTorchLoadsWithItsBatchCounters() throws IOException {
        ModelFile.Loaded loaded = ModelFile.load(FILE, ParallelExecutor.SEQUENTIAL);
        Map<String, NamedTensor> tensors = loaded.tensors();
        long counters = tensors.keySet().stream().filter(SafeTensors::isBatchCounter).count();
        assertEquals(5, counters, tensors.keySet().toString());
        assertEquals(1f, tensors.get("1.num_batches_tracked").data()[0], "one training step in PyTorch");
        assertEquals(0, tensors.get("1.num_batches_tracked").shape().length, "a scalar");
        Sequential model = loaded.model();
        BatchNorm2d bn = (BatchNorm2d) model.layers().get(1);
        float[] mean = tensors.get("1.running_mean").data();
        for (int c = 0; c < mean.length; c++) assertEquals(mean[c], bn.runningMean()[c], 0f);
        assertTrue(java.util.Arrays.stream(toDouble(mean)).anyMatch(v -> v != 0), "running statistics moved in PyTorch");
        assertTrue(model.weights().byName().keySet().stream().noneMatch(SafeTensors::isBatchCounter));
    }

    @Test
    void otherInt64TensorsAreRefusedByName(@TempDir Path dir) throws IOException {
        byte[] json = "{\"0.weight\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).putLong(3);
        Path f = Files.write(dir.resolve("i64.safetensors"), b.array());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("tensor \"0.weight\" has dtype I64; only F32 is supported"), e.getMessage());
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
