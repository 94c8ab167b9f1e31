package org.panamacnn.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads small text files (metadata, model definitions, class lists) without trusting them: at most
 * a stated number of bytes is read — never a whole file of unknown size, however sparse or large
 * it claims to be — and the text must be UTF-8. Either problem is an IllegalArgumentException
 * naming the file, the limit or the byte offset of the first bad byte.
 */
public final class TextFiles {
    private TextFiles() {}

    public static String read(Path file, int maxBytes, String what) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(maxBytes + 1);  // one more tells a file at the limit from one beyond it
        }
        if (bytes.length > maxBytes) {
            throw new IllegalArgumentException(file + ": larger than " + String.format(Locale.ROOT, "%,d", maxBytes) + " bytes; not " + what);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text (bad byte at offset " + firstBadByte(bytes) + "); not " + what, e);
        }
    }

    /** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
    private static int firstBadByte(byte[] b) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        var out = java.nio.CharBuffer.allocate(b.length + 1);
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : b.length;
    }
}
