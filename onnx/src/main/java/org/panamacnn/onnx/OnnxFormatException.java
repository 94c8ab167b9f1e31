package org.panamacnn.onnx;

import java.io.IOException;

/** An ONNX file that cannot be read or holds what panama-cnn cannot run: names the file, the node and the problem. */
public final class OnnxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public OnnxFormatException(String file, String problem) {
        super(file + ": " + problem);
    }

    public OnnxFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
