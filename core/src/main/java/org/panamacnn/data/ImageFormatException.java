package org.panamacnn.data;

import java.io.IOException;

/** An image file that cannot be decoded, or is too large to decode: names the file and the problem. */
public final class ImageFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ImageFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }

    public ImageFormatException(String file, String problem) {
        this(file, problem, null);
    }
}
