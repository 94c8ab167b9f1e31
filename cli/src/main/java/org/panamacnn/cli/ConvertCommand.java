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
            usage: panama-cnn convert IN.onnx OUT.safetensors [--classes a,b,c]

            Reads an ONNX model (e.g. exported from PyTorch with torch.onnx.export) and writes it as
            a panama-cnn model file, for predict, eval and embedding with Predictor.load. Supported:
            chains of Conv, BatchNormalization, Relu, LeakyRelu, MaxPool, AveragePool,
            GlobalAveragePool, Flatten, Gemm / MatMul + Add, Dropout, with residual blocks (Add).

              --classes NAMES   class names to store (comma-separated)
            """;

    static int run(List<String> argv, PrintStream out) throws IOException {
        if (argv.contains("--help")) {
            out.print(HELP);
            return 0;
        }
        List<String> files = argv.stream().filter(a -> !a.startsWith("--")).toList();
        int ci = argv.indexOf("--classes");
        String classes = ci >= 0 && ci + 1 < argv.size() ? argv.get(ci + 1) : null;
        List<String> positional = classes == null ? files : files.stream().filter(f -> !f.equals(classes)).toList();
        if (positional.size() != 2) throw new UsageException("convert needs IN.onnx OUT.safetensors");
        Sequential model = OnnxImport.load(Path.of(positional.get(0)), ParallelExecutor.SEQUENTIAL);
        ModelFile.save(Path.of(positional.get(1)), model, classes == null ? Map.of("source", positional.get(0))
                : Map.of("source", positional.get(0), "classes", org.panamacnn.io.ClassNames.toMetadata(java.util.Arrays.asList(classes.split(",", -1)))));
        out.print(model.summary());
        out.println("model saved to " + positional.get(1));
        return 0;
    }

    private ConvertCommand() {}
}
