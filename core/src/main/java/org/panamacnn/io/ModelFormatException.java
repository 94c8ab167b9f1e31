package org.panamacnn.io;

import java.io.IOException;

/** A model file that cannot be read: names the file, the byte offset where it applies, and the problem. */
public final class ModelFormatException extends IOException {
    public ModelFormatException(String file, long offset, String problem) {
        super(file + (offset >= 0 ? ": at byte offset " + offset : "") + ": " + problem);
    }

    public ModelFormatException(String file, String problem) {
        this(file, -1, problem);
    }
}
