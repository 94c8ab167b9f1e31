package org.panamacnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Map;
import org.panamacnn.io.ModelFile;
import org.panamacnn.nn.Sequential;
import org.panamacnn.onnx.OnnxImport;
import org.panamacnn.parallel.ParallelExecutor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panama-cnn convert IN.onnx OUT.safetensors}: an ONNX model as a panama-cnn model file. */
@Command(name = "convert", header = "an ONNX model (e.g. from PyTorch) as a panama-cnn model file", sortOptions = false,
        customSynopsis = "panama-cnn convert IN.onnx OUT.safetensors [--classes a,b,c] [--mean m,m,m --std s,s,s]",
        description = {"Reads an ONNX model (e.g. exported from PyTorch with torch.onnx.export) and writes it as a panama-cnn "
                + "model file, for predict, eval and embedding with Predictor.load. Supported: chains of Conv (grouped / "
                + "depthwise too), BatchNormalization, Relu, LeakyRelu, Clip (ReLU6), Sigmoid, HardSigmoid, HardSwish, MaxPool "
                + "(padded too), AveragePool, GlobalAveragePool, ReduceMean over H and W, Flatten, Gemm / MatMul + Add, Dropout, "
                + "with residual blocks (Add); see docs/onnx-operators.md.", ""})
final class ConvertCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", index = "0..1", arity = "0..2", description = "IN.onnx, then OUT.safetensors")
    private List<String> files = new ArrayList<>();

    @Option(names = "--classes", paramLabel = "NAMES", description = "class names to store (comma-separated)")
    private String classes;

    @Option(names = "--mean", paramLabel = "M", description = "per-channel pixel mean (of p / 255) that predict and eval normalise "
            + "with, with --std; without them a 3-channel model gets ImageNet's (0.485,0.456,0.406 / 0.229,0.224,0.225)")
    private String mean;

    @Option(names = "--std", paramLabel = "S", description = "per-channel pixel standard deviation, with --mean")
    private String std;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    private boolean help;

    private final PrintStream out;

    ConvertCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        if (files.size() != 2) throw new UsageException("convert needs IN.onnx OUT.safetensors");
        if ((mean == null) != (std == null)) throw new UsageException("convert: --mean and --std go together");
        List<String> positional = files;
        Sequential model = OnnxImport.load(Path.of(positional.get(0)), ParallelExecutor.SEQUENTIAL);
        Map<String, String> metadata = new java.util.HashMap<>(Map.of("source", positional.get(0)));
        if (classes != null) metadata.put("classes", org.panamacnn.io.ClassNames.toMetadata(java.util.Arrays.asList(classes.split(",", -1))));
        if (mean != null) metadata.put("normalization", normalization(mean, std, model));
        ModelFile.save(Path.of(positional.get(1)), model, metadata);
        out.print(model.summary());
        out.println("model saved to " + positional.get(1));
        return 0;
    }

    /** "m,m,m" and "s,s,s" as the model file's normalisation metadata, one value per input channel. */
    private static String normalization(String mean, String std, Sequential model) {
        org.panamacnn.data.PixelNormalization norm = meanStd("convert", mean, std);
        int channels = model.inputShape().dim(0);
        if (norm.channels() != channels) {
            throw new UsageException("convert: --mean and --std give " + norm.channels() + " channels, the model takes " + model.inputShape());
        }
        return norm.toMetadata();
    }

    /** --mean "m,m,m" and --std "s,s,s" of command as a normalisation; a usage error naming both when they do not parse. */
    static org.panamacnn.data.PixelNormalization meanStd(String command, String mean, String std) {
        try {
            return org.panamacnn.data.PixelNormalization.fromMetadata(mean + ";" + std);
        } catch (IllegalArgumentException e) {  // NumberFormatException included
            throw new UsageException(command + ": bad --mean " + mean + " / --std " + std + ": " + e.getMessage());
        }
    }
}
