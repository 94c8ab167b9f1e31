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
 * The new layers' forward and backward against PyTorch's autograd (float64, made by
 * scripts/torch_op_gradients.py into torch-op-gradients.json): padded max-pool, grouped and
 * depthwise convolution with and without bias, ReLU6, hard sigmoid, hard swish, sigmoid, SiLU,
 * the mul merge (element by element and by a per-channel scale), max-pool in ceil mode, padded average
 * pools (ceil mode, count_include_pad both ways), tanh, GELU (exact and tanh), and the per-channel
 * constant affine map and division, adaptive average pools (shrinking, growing, rectangular), and general convolutions
 * (1×7, dilated, stride (2, 1), padding='same' with an even kernel, a width dilation with a width stride).
 * Float against double: max |difference| / max |PyTorch's value| within 1e-6 (2e-6 for sums of 50 products).
 */
class PyTorchGradientTest {
    static Stream<Map<String, Object>> cases() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(Path.of("src/test/resources/torch-op-gradients.json")));
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
            case "maxpool" -> new MaxPool2d(integer(c, "kernel"), integer(c, "stride"), integer(c, "pad"));
            case "conv" -> new GroupedConv2d(cin, integer(c, "out"), integer(c, "kernel"), integer(c, "stride"), integer(c, "pad"),
                    integer(c, "groups"), c.containsKey("b"));
            case "relu6" -> PointwiseActivation.relu6();
            case "hardsigmoid" -> PointwiseActivation.hardSigmoid();
            case "hardswish" -> PointwiseActivation.hardSwish();
            case "sigmoid" -> PointwiseActivation.sigmoid();
            case "silu" -> PointwiseActivation.silu();
            case "maxpool_ceil" -> WindowPool2d.max(integer(c, "kernel"), integer(c, "stride"), integer(c, "pad"), true);
            case "avgpool" -> WindowPool2d.average(integer(c, "kernel"), integer(c, "stride"), integer(c, "pad"), (Boolean) c.get("ceil"),
                    (Boolean) c.get("count_include_pad"));
            case "tanh" -> SmoothActivation.tanh();
            case "gelu" -> SmoothActivation.gelu();
            case "gelu_tanh" -> SmoothActivation.geluTanh();
            case "affine" -> new ChannelAffine(floats(c, "scale"), floats(c, "shift"));
            case "divide" -> new ChannelDivide(floats(c, "by"));
            case "adaptive_avgpool" -> new AdaptiveAvgPool2d(integer(c, "out_h"), integer(c, "out_w"));
            case "general_conv" -> LayerSpec.parse((String) c.get("spec"));
            default -> throw new IllegalArgumentException("unknown case " + c.get("name"));
        };
    }

    /** y = x ⊙ s, s the second input ([C, H, W] or a [C, 1, 1] scale): y, ∂L/∂x and ∂L/∂s. */
    private static void multiply(Map<String, Object> c, int batch, Shape in) {
        List<?> ss = (List<?>) c.get("s_shape");
        Shape s = Shape.of(((Number) ss.get(1)).intValue(), ((Number) ss.get(2)).intValue(), ((Number) ss.get(3)).intValue());
        Multiply mul = new Multiply();
        assertEquals(in, mul.build(List.of(in, s), ParallelExecutor.SEQUENTIAL));
        Tensor y = mul.forward(new Tensor[] {new Tensor(in.withBatch(batch), floats(c, "x")), new Tensor(s.withBatch(batch), floats(c, "s"))});
        String what = "mul by " + s;
        close(what + " forward", floats(c, "y"), y.data());
        Tensor[] d = new Tensor[2];
        mul.backward(new Tensor(in.withBatch(batch), floats(c, "r")), d);
        close(what + " ∂L/∂x", floats(c, "dx"), d[0].data());
        close(what + " ∂L/∂s", floats(c, "ds"), d[1].data());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void agreesWithPyTorchsAutograd(Map<String, Object> c) {
        List<?> xs = (List<?>) c.get("x_shape");
        int batch = ((Number) xs.get(0)).intValue();
        Shape in = Shape.of(((Number) xs.get(1)).intValue(), ((Number) xs.get(2)).intValue(), ((Number) xs.get(3)).intValue());
        if (c.get("name").equals("mul")) {
            multiply(c, batch, in);
            return;
        }
        Layer l = layer(c, in.dim(0));
        Shape out = l.build(in, ParallelExecutor.SEQUENTIAL);
        String what = c.get("name") + " " + c.getOrDefault("groups", "") + c.getOrDefault("spec", "");
        if (l instanceof GroupedConv2d conv) {
            System.arraycopy(floats(c, "w"), 0, conv.weight().value().data(), 0, conv.weight().size());
            if (conv.hasBias()) System.arraycopy(floats(c, "b"), 0, conv.bias().value().data(), 0, conv.outChannels());
        }
        if (l instanceof GeneralConv2d conv) {
            System.arraycopy(floats(c, "w"), 0, conv.weight().value().data(), 0, conv.weight().size());
            if (conv.hasBias()) System.arraycopy(floats(c, "b"), 0, conv.bias().value().data(), 0, conv.outChannels());
        }
        Tensor y = l.forward(new Tensor(in.withBatch(batch), floats(c, "x")), true);
        assertEquals(floats(c, "y").length, y.size(), what + ": output size");
        close(what + " forward", floats(c, "y"), y.data());
        Tensor dx = l.backward(new Tensor(out.withBatch(batch), floats(c, "r")), true);
        close(what + " ∂L/∂x", floats(c, "dx"), dx.data());
        if (l instanceof GroupedConv2d conv) {
            close(what + " ∂L/∂weight", floats(c, "dw"), conv.weight().grad().data());
            if (conv.hasBias()) close(what + " ∂L/∂bias", floats(c, "db"), conv.bias().grad().data());
        }
        if (l instanceof GeneralConv2d conv) {
            close(what + " ∂L/∂weight", floats(c, "dw"), conv.weight().grad().data());
            if (conv.hasBias()) close(what + " ∂L/∂bias", floats(c, "db"), conv.bias().grad().data());
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
