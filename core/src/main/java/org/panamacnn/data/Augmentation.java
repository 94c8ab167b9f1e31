package org.panamacnn.data;

/**
 * Seeded training-time augmentation, applied to a batch in place: random crop with padding (the
 * image is padded by {@code pad} pixels of black on every side, then an H×W window is taken at a
 * random offset in [0, 2·pad]², as torchvision's RandomCrop(size, padding)) and a horizontal flip
 * with probability ½ (RandomHorizontalFlip). The random choices depend only on (seed, epoch,
 * batch, sample), so a resumed run augments exactly as an uninterrupted one. Allocates nothing
 * after construction.
 */
public final class Augmentation {
    private final int pad, height, width;
    private final boolean flip;
    private final long seed;
    private final float[] black;   // per channel: normalised value of a 0 pixel
    private final float[] scratch; // one sample

    /**
     * @param channels, height, width the shape of one image
     * @param norm the normalisation the images carry (black padding is normalised like a 0 pixel)
     */
    public Augmentation(int pad, boolean flip, long seed, int channels, int height, int width, PixelNormalization norm) {
        if (pad < 0 || pad > Math.min(height, width)) throw new IllegalArgumentException("crop padding must be 0.." + Math.min(height, width) + ", got " + pad);
        if (norm.channels() != channels) throw new IllegalArgumentException("normalisation for " + norm.channels() + " channels, images have " + channels);
        this.pad = pad;
        this.height = height;
        this.width = width;
        this.flip = flip;
        this.seed = seed;
        this.black = new float[channels];
        for (int c = 0; c < channels; c++) black[c] = norm.apply(c, 0);
        this.scratch = new float[channels * height * width];
    }

    public boolean isIdentity() {
        return pad == 0 && !flip;
    }

    /** Augments the first n samples of images (N×C×H×W) for batch `batch` of `epoch`. */
    public void apply(float[] images, int n, int epoch, int batch) {
        if (isIdentity()) return;
        int c = black.length, size = scratch.length;
        for (int i = 0; i < n; i++) {
            long bits = mix(mix(mix(seed) ^ epoch) ^ ((long) batch << 20 | i));  // depends on nothing else
            int span = 2 * pad + 1;
            int dy = (int) Long.remainderUnsigned(bits, span), dx = (int) Long.remainderUnsigned(bits >>> 21, span);
            boolean mirror = flip && (bits >>> 63) != 0;
            System.arraycopy(images, i * size, scratch, 0, size);
            cropFlip(scratch, images, i * size, c, height, width, pad, dy, dx, mirror, black);
        }
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit value from any input. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * dst[c, y, x] = padded(src)[c, y + dy, x' + dx] with x' = (mirror ? w − 1 − x : x), where
     * padded(src)[c, y, x] = src[c, y − pad, x − pad] inside and black[c] outside.
     */
    static void cropFlip(float[] src, float[] dst, int at, int channels, int h, int w, int pad, int dy, int dx, boolean mirror, float[] black) {
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                int sy = y + dy - pad;
                for (int x = 0; x < w; x++) {
                    int sx = (mirror ? w - 1 - x : x) + dx - pad;
                    dst[at + (c * h + y) * w + x] = sy < 0 || sy >= h || sx < 0 || sx >= w ? black[c] : src[(c * h + sy) * w + sx];
                }
            }
        }
    }
}
