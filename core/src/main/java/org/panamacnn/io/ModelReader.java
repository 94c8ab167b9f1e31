package org.panamacnn.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;

/**
 * A reader of another model format (ONNX: the panama-cnn-onnx module), found with
 * {@link ServiceLoader}, so that core stays free of its dependencies and {@code Predictor.load}
 * and the CLI open such files whenever the reader is on the class path.
 */
public interface ModelReader {
    /** True if this reader takes the file (by its name or its first bytes). */
    boolean accepts(Path file);

    /** The format's name, for messages ("ONNX"). */
    String format();

    Sequential read(Path file, ParallelExecutor executor) throws IOException;

    /** The reader for file, or null when it is panama-cnn's own format. */
    static ModelReader forFile(Path file) throws ModelFormatException {
        for (ModelReader r : ServiceLoader.load(ModelReader.class)) if (r.accepts(file)) return r;
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            throw new ModelFormatException(file.toString(), "is an ONNX model; reading it needs panama-cnn-onnx on the class path");
        }
        return null;
    }

    /** The model in file, in whichever format it is (a safetensors model file unless a reader takes it). */
    static Sequential load(Path file, ParallelExecutor executor) throws IOException {
        ModelReader r = forFile(file);
        return r == null ? ModelFile.load(file, executor).model() : r.read(file, executor);
    }
}
