package org.panamacnn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.panamacnn.io.Json;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * The upsampling layers' forward and backward against PyTorch's autograd (float64, made by
 * scripts/torch_upsampling_gradients.py into torch-upsampling-gradients.json): ConvTranspose2d with
 * and without bias, output padding, strides 2 and 3; nearest and bilinear (align_corners both ways)
 * upsampling by square and rectangular factors. Float against double: max |difference| / max |PyTorch's
 * value| within 2e-6.
 */
class UpsamplingPyTorchGradientTest {
    static Stream<Map<String, Object>> cases() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(Path.of("src/test/resources/torch-upsampling-gradients.json")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) root.get("cases");
        return cases.stream();
    }

    private static float[] floats(Map<String, Object> c, String key) {
        List<?> v = (List<?>) c.get(key);
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) f[i] = ((Number) v.get(i)).floatValue();
        return f;
    }

    private static int integer(Map<String, Object> c, String key) {
        return ((Number) c.get(key)).intValue();
    }

    private static Layer layer(Map<String, Object> c, int cin) {
        return switch ((String) c.get("name")) {
            case "convtranspose" -> new ConvTranspose2d(cin, integer(c, "out"), integer(c, "kernel"), integer(c, "stride"), integer(c, "pad"),
                    integer(c, "output_pad"), c.containsKey("b"));
            case "upsample" -> new Upsample2d(integer(c, "scale_h"), integer(c, "scale_w"),
                    c.get("mode").equals("nearest") ? Upsample2d.Mode.NEAREST : Upsample2d.Mode.BILINEAR, (Boolean) c.get("align_corners"));
            default -> throw new IllegalArgumentException("unknown case " + c.get("name"));
        };
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void agreesWithPyTorchsAutograd(Map<String, Object> c) {
        List<?> xs = (List<?>) c.get("x_shape");
        int batch = ((Number) xs.get(0)).intValue();
        Shape in = Shape.of(((Number) xs.get(1)).intValue(), ((Number) xs.get(2)).intValue(), ((Number) xs.get(3)).intValue());
        Layer l = layer(c, in.dim(0));
        Shape out = l.build(in, ParallelExecutor.SEQUENTIAL);
        String what = l.describe();
        if (l instanceof ConvTranspose2d ct) {
            System.arraycopy(floats(c, "w"), 0, ct.weight().value().data(), 0, ct.weight().size());
            if (ct.hasBias()) System.arraycopy(floats(c, "b"), 0, ct.bias().value().data(), 0, ct.outChannels());
        }
        Tensor y = l.forward(new Tensor(in.withBatch(batch), floats(c, "x")), true);
        assertEquals(floats(c, "y").length, y.size(), what + ": output size");
        close(what + " forward", floats(c, "y"), y.data());
        Tensor dx = l.backward(new Tensor(out.withBatch(batch), floats(c, "r")), true);
        close(what + " ∂L/∂x", floats(c, "dx"), dx.data());
        if (l instanceof ConvTranspose2d ct) {
            close(what + " ∂L/∂weight", floats(c, "dw"), ct.weight().grad().data());
            if (ct.hasBias()) close(what + " ∂L/∂bias", floats(c, "db"), ct.bias().grad().data());
        }
    }

    private static void close(String what, float[] torch, float[] ours) {
        double err = 0, scale = 0;
        for (int i = 0; i < torch.length; i++) {
            err = Math.max(err, Math.abs(torch[i] - ours[i]));
            scale = Math.max(scale, Math.abs(torch[i]));
        }
        assertTrue(err <= 2e-6 * Math.max(1, scale), what + ": max |difference| " + err + " for values up to " + scale);
    }
}
