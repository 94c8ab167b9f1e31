package org.panamacnn.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG, JPEG, GIF, BMP and TIFF files with the JDK's ImageIO, bounded: the size the file
 * declares is read first and anything above {@link #MAX_PIXELS} is refused before a pixel is
 * allocated; a decoder failure of any kind (ImageIO plugins throw unchecked exceptions on
 * damaged files) becomes an {@link ImageFormatException} naming the file.
 */
public final class ImageFiles {
    /** Largest image decoded: 2^25 pixels (e.g. 8192 × 4096), 128 MiB as ARGB. */
    public static final long MAX_PIXELS = 1L << 25;

    /**
     * The formats decoded. WBMP is left out on purpose: it has no magic number, so its decoder
     * claims almost any bytes (an IDX file among them) as a tiny black-and-white picture.
     */
    private static final java.util.Set<String> FORMATS = java.util.Set.of("png", "jpeg", "gif", "bmp", "tif", "tiff");

    private ImageFiles() {}

    /** The decoded image, or null when no installed decoder recognises the file's format. */
    public static BufferedImage read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** As {@link #read(Path)}, from a stream named {@code source} in errors (not closed). */
    public static BufferedImage read(InputStream in, String source) throws IOException {
        try (ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            if (stream == null) return null;
            ImageReader reader = null;
            for (Iterator<ImageReader> it = ImageIO.getImageReaders(stream); it.hasNext() && reader == null; ) {
                ImageReader r = it.next();
                if (FORMATS.contains(r.getFormatName().toLowerCase(java.util.Locale.ROOT))) reader = r;
            }
            if (reader == null) return null;
            try {
                reader.setInput(stream, true, true);
                int width = reader.getWidth(0), height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS) {
                    throw new ImageFormatException(source, reader.getFormatName() + " image of " + width + "x" + height
                            + " pixels: more than the supported " + MAX_PIXELS + " pixels, or empty");
                }
                return reader.read(0);
            } catch (ImageFormatException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // damaged data: IIOException, or unchecked exceptions from inside the decoders
                throw new ImageFormatException(source, "cannot decode " + reader.getFormatName() + " data: " + e, e);
            } finally {
                reader.dispose();
            }
        }
    }
}
