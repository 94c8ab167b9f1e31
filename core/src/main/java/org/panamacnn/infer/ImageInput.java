package org.panamacnn.infer;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.panamacnn.data.ImageFiles;
import org.panamacnn.data.ImageFolder;
import org.panamacnn.data.PixelNormalization;
import org.panamacnn.data.Resizing;
import org.panamacnn.tensor.Shape;

/**
 * From a picture to a model's input: decode (with {@link ImageFiles}' size limit), scale bilinearly
 * to the input's height and width in its channel count (grey or RGB, as {@link ImageFolder} does
 * for training) or, for models trained on photos, resize the shorter side and crop the centre
 * ({@link Resizing}), then x = (p / 255 − mean[c]) / std[c]. What {@link Predictor#input} and the CLI's
 * {@code predict} use.
 */
public final class ImageInput {
    private ImageInput() {}

    /** Writes picture as input [C, H, W] (C = 1 or 3) normalised by norm into image[0 .. C·H·W). */
    public static void write(BufferedImage picture, Shape input, PixelNormalization norm, float[] image) {
        write(picture, input, norm, Resizing.STRETCH, image);
    }

    /** As {@link #write(BufferedImage, Shape, PixelNormalization, float[])}, brought to size as resizing says. */
    public static void write(BufferedImage picture, Shape input, PixelNormalization norm, Resizing resizing, float[] image) {
        if (input.rank() != 3 || (input.dim(0) != 1 && input.dim(0) != 3)) {
            throw new IllegalArgumentException("pictures feed grey or colour image models [1 or 3, H, W]; this one takes " + input);
        }
        int c = input.dim(0), plane = input.dim(1) * input.dim(2);
        if (norm.channels() != c) {
            throw new IllegalArgumentException("normalisation has " + norm.channels() + " channels but the model takes " + input);
        }
        if (image.length != c * plane) throw new IllegalArgumentException("image array has " + image.length + " values, the model takes " + input);
        byte[] pixels = new byte[c * plane];
        resizing.apply(picture, c, input.dim(1), input.dim(2), pixels, 0);
        for (int i = 0; i < pixels.length; i++) image[i] = norm.apply(i / plane, pixels[i] & 0xFF);
    }

    /** Decodes an image file (PNG, JPEG, GIF, BMP, TIFF). */
    public static BufferedImage read(Path file) throws IOException {
        BufferedImage picture = ImageFiles.read(file);
        if (picture == null) throw new IOException(file + ": not an image this JDK can decode");
        return picture;
    }

    /** Decodes encoded image bytes. */
    public static BufferedImage read(byte[] encoded) throws IOException {
        BufferedImage picture = ImageFiles.read(new ByteArrayInputStream(encoded), "image bytes");
        if (picture == null) throw new IOException("image bytes: not an image this JDK can decode");
        return picture;
    }
}
