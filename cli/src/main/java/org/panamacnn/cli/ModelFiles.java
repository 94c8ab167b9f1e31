package org.panamacnn.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.panamacnn.infer.Predictor;
import org.panamacnn.onnx.OnnxImport;
import org.panamacnn.parallel.ParallelExecutor;

/** Opens a model file for predict and eval: panama-cnn's safetensors, or ONNX (by the .onnx suffix). */
final class ModelFiles {
    private ModelFiles() {}

    static boolean isOnnx(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }

    static Predictor predictor(Path file, int threads) throws IOException {
        if (!isOnnx(file)) return Predictor.load(file, threads);
        try {
            return new Predictor(OnnxImport.load(file, ParallelExecutor.SEQUENTIAL), threads);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": cannot be planned for inference: " + e.getMessage(), e);
        }
    }
}
