package org.panamacnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.panamacnn.io.ModelFile;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.OnnxImport;
import org.panamacnn.parallel.ParallelExecutor;

/** {@code panama-cnn convert IN.onnx OUT.safetensors}: an ONNX model as a panama-cnn model file. */
final class ConvertCommand {
    static final String HELP = """
            usage: panama-cnn convert IN.onnx OUT.safetensors [--classes a,b,c] [--mean m,m,m --std s,s,s]

            Reads an ONNX model (e.g. exported from PyTorch with torch.onnx.export) and writes it as
            a panama-cnn model file, for predict, eval and embedding with Predictor.load. Supported:
            chains of Conv (grouped / depthwise too), BatchNormalization, Relu, LeakyRelu, Clip
            (ReLU6), Sigmoid, HardSigmoid, HardSwish, MaxPool (padded too), AveragePool,
            GlobalAveragePool, ReduceMean over H and W, Flatten, Gemm / MatMul + Add, Dropout, with
            residual blocks (Add); see docs/onnx-operators.md.

              --classes NAMES   class names to store (comma-separated)
              --mean M --std S  per-channel pixel mean and std (of p / 255) that predict and eval
                                normalise with; without them a 3-channel model gets ImageNet's
                                (0.485,0.456,0.406 / 0.229,0.224,0.225)
            """;

    static int run(List<String> argv, PrintStream out) throws IOException {
        if (argv.contains("--help")) {
            out.print(HELP);
            return 0;
        }
        List<String> positional = new java.util.ArrayList<>();
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            String name = a.substring(2);
            if (!List.of("classes", "mean", "std").contains(name)) throw new UsageException("convert: unknown option " + a);
            if (i + 1 >= argv.size()) throw new UsageException("convert: " + a + " needs a value");
            options.put(name, argv.get(++i));
        }
        if (positional.size() != 2) throw new UsageException("convert needs IN.onnx OUT.safetensors");
        if (options.containsKey("mean") != options.containsKey("std")) throw new UsageException("convert: --mean and --std go together");
        Sequential model = OnnxImport.load(Path.of(positional.get(0)), ParallelExecutor.SEQUENTIAL);
        Map<String, String> metadata = new java.util.HashMap<>(Map.of("source", positional.get(0)));
        if (options.containsKey("classes")) {
            metadata.put("classes", org.panamacnn.io.ClassNames.toMetadata(java.util.Arrays.asList(options.get("classes").split(",", -1))));
        }
        if (options.containsKey("mean")) metadata.put("normalization", normalization(options.get("mean"), options.get("std"), model));
        ModelFile.save(Path.of(positional.get(1)), model, metadata);
        out.print(model.summary());
        out.println("model saved to " + positional.get(1));
        return 0;
    }

    /** "m,m,m" and "s,s,s" as the model file's normalisation metadata, one value per input channel. */
    private static String normalization(String mean, String std, Sequential model) {
        org.panamacnn.data.PixelNormalization norm;
        try {
            norm = org.panamacnn.data.PixelNormalization.fromMetadata(mean + ";" + std);
        } catch (IllegalArgumentException e) {  // NumberFormatException included
            throw new UsageException("convert: bad --mean " + mean + " / --std " + std + ": " + e.getMessage());
        }
        int channels = model.inputShape().dim(0);
        if (norm.channels() != channels) {
            throw new UsageException("convert: --mean and --std give " + norm.channels() + " channels, the model takes " + model.inputShape());
        }
        return norm.toMetadata();
    }

    private ConvertCommand() {}
}
