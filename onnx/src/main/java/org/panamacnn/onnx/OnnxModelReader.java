package org.panamacnn.onnx;

import java.io.IOException;
import java.nio.file.Path;
import org.panamacnn.io.ModelReader;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;

/** Makes {@code Predictor.load}, the CLI and {@code train --init} open .onnx files. */
public final class OnnxModelReader implements ModelReader {
    @Override
    public boolean accepts(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }

    @Override
    public String format() {
        return "ONNX";
    }

    @Override
    public Sequential read(Path file, ParallelExecutor executor) throws IOException {
        return OnnxImport.load(file, executor);
    }
}
