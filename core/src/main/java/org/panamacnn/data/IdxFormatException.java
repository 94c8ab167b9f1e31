package org.panamacnn.data;

import java.io.IOException;

/**
 * An IDX file (or a pair of them) is malformed or does not fit what was asked for.
 *
 * <p>The message always starts with the file; when the problem sits at a place in the file
 * it continues with the byte offset, and it says what was expected and what was found.
 * For a gzip file the offset counts bytes of the decompressed content, since that is where
 * the IDX structure lives.
 */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;

    /** A problem with the file as a whole (no single byte offset applies). */
    public IdxFormatException(String file, String problem) {
        this(file, -1, problem, null);
    }

    /** A problem at {@code offset}; a negative offset means "no particular place". */
    public IdxFormatException(String file, long offset, String problem) {
        this(file, offset, problem, null);
    }

    public IdxFormatException(String file, long offset, String problem, Throwable cause) {
        super(offset >= 0 ? file + ": at byte offset " + offset + ": " + problem : file + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
    }

    /** The file the problem is in, as given to the reader. */
    public String file() {
        return file;
    }

    /** The byte offset of the problem, or -1 when it is about the file as a whole. */
    public long offset() {
        return offset;
    }
}
