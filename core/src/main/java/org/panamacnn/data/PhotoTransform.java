package org.panamacnn.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.util.SplittableRandom;

/**
 * torchvision's transforms for photos of any size, on the pixels Pillow would produce (see {@link
 * PilResize}):
 * <ul>
 * <li>evaluation: {@code Resize(R)} — the shorter side scaled to R = ⌊S·256/224⌋ (256 for 224), the
 *     longer to ⌊R·long/short⌋ — then {@code CenterCrop(S)}, the crop's corner at round-half-even
 *     ((side − S)/2) as Python's round;</li>
 * <li>training: {@code RandomResizedCrop(S)} (area scale in (0.08, 1), aspect ratio in (3/4, 4/3)
 *     drawn log-uniformly, up to 10 attempts, then the centre crop of the ratio nearest the image's)
 *     and {@code RandomHorizontalFlip()}, drawn from a seed so each image's crop depends only on it.</li>
 * </ul>
 * Output: C planes of S·S bytes (grey is Pillow's {@code convert("L")}: (19595 R + 38470 G + 7471 B
 * + 2¹⁵) ≫ 16).
 */
public final class PhotoTransform {
    private static final double MIN_SCALE = 0.08, LOG_MIN_RATIO = Math.log(3.0 / 4), LOG_MAX_RATIO = Math.log(4.0 / 3);

    private PhotoTransform() {}

    /** A source rectangle: left, top, width, height. */
    record Box(int x, int y, int w, int h) {}

    /** The side the evaluation resize gives the shorter side for crops of side S: ⌊S·256/224⌋. */
    public static int resizeSide(int size) {
        return (int) (size * 256L / 224);
    }

    /** Evaluation: writes the resized, centre-cropped h×w picture as C planes into out at `at`. */
    public static void centre(BufferedImage picture, int channels, int h, int w, byte[] out, int at) {
        centre(picture, channels, h, w, resizeSide(Math.min(h, w)), out, at);
    }

    /** As {@link #centre(BufferedImage, int, int, int, byte[], int)} with the shorter side resized to `side`. */
    public static void centre(BufferedImage picture, int channels, int h, int w, int side, byte[] out, int at) {
        int ih = picture.getHeight(), iw = picture.getWidth();
        // torchvision: the shorter side becomes `side`, the longer int(side · long / short)
        int rh, rw;
        if (iw <= ih) {
            rw = side;
            rh = (int) ((long) side * ih / iw);
        } else {
            rh = side;
            rw = (int) ((long) side * iw / ih);
        }
        if (rh < h || rw < w) {  // torchvision pads a crop larger than the image; a photo this flat is refused instead
            throw new IllegalArgumentException(iw + "x" + ih + " picture resized to " + rw + "x" + rh + " is smaller than the " + w + "x" + h + " crop");
        }
        int top = (int) Math.rint((rh - h) / 2.0), left = (int) Math.rint((rw - w) / 2.0);
        byte[] planes = planes(picture, channels, new Box(0, 0, iw, ih));
        for (int c = 0; c < channels; c++) {
            PilResize.resize(planes, c * iw * ih, iw, ih, rw, rh, left, top, w, h, false, out, at + c * h * w);
        }
    }

    /** Training: a random resized crop, flipped with probability ½, both drawn from seed. */
    public static void randomResizedCrop(BufferedImage picture, int channels, int h, int w, long seed, byte[] out, int at) {
        SplittableRandom random = new SplittableRandom(seed);
        Box box = randomBox(picture.getWidth(), picture.getHeight(), random);
        boolean mirror = random.nextBoolean();
        byte[] planes = planes(picture, channels, box);
        for (int c = 0; c < channels; c++) {
            PilResize.resize(planes, c * box.w() * box.h(), box.w(), box.h(), w, h, 0, 0, w, h, mirror, out, at + c * h * w);
        }
    }

    /** torchvision's RandomResizedCrop.get_params with scale (0.08, 1) and ratio (3/4, 4/3). */
    static Box randomBox(int width, int height, SplittableRandom random) {
        double area = (double) width * height;
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (MIN_SCALE + (1 - MIN_SCALE) * random.nextDouble());
            double ratio = Math.exp(LOG_MIN_RATIO + (LOG_MAX_RATIO - LOG_MIN_RATIO) * random.nextDouble());
            int w = (int) Math.rint(Math.sqrt(target * ratio)), h = (int) Math.rint(Math.sqrt(target / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int y = random.nextInt(height - h + 1), x = random.nextInt(width - w + 1);
                return new Box(x, y, w, h);
            }
        }
        double in = (double) width / height;
        int w = width, h = height;
        if (in < 3.0 / 4) {
            h = (int) Math.rint(w / (3.0 / 4));
        } else if (in > 4.0 / 3) {
            w = (int) Math.rint(h * (4.0 / 3));
        }
        return new Box((width - w) / 2, (height - h) / 2, w, h);
    }

    /** The box's pixels as C planes of bytes: grey samples as they are, colour as sRGB (or luma for C = 1). */
    static byte[] planes(BufferedImage picture, int channels, Box box) {
        int n = box.w() * box.h();
        byte[] planes = new byte[channels * n];
        Raster raster = picture.getRaster();
        boolean grey = raster.getNumBands() == 1 && picture.getColorModel().getNumColorComponents() == 1
                && raster.getSampleModel().getSampleSize(0) == 8;
        if (grey) {  // getRGB would pass grey through a linear-to-sRGB conversion; Pillow keeps the samples
            int[] row = new int[box.w()];
            for (int y = 0; y < box.h(); y++) {
                raster.getSamples(box.x(), box.y() + y, box.w(), 1, 0, row);
                for (int x = 0; x < box.w(); x++) for (int c = 0; c < channels; c++) planes[c * n + y * box.w() + x] = (byte) row[x];
            }
            return planes;
        }
        int[] rgb = new int[box.w()];
        for (int y = 0; y < box.h(); y++) {
            picture.getRGB(box.x(), box.y() + y, box.w(), 1, rgb, 0, box.w());
            for (int x = 0; x < box.w(); x++) {
                int p = rgb[x], r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF, i = y * box.w() + x;
                if (channels == 1) {
                    planes[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
                } else {
                    planes[i] = (byte) r;
                    planes[n + i] = (byte) g;
                    planes[2 * n + i] = (byte) b;
                }
            }
        }
        return planes;
    }
}
