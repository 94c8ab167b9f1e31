package org.panamacnn.data;

import java.util.Objects;

/**
 * An immutable set of labelled images, stored normalised as floats in N×C×H×W order.
 *
 * <p>Nothing here ever writes to the backing arrays after construction, so {@link #subset}
 * shares them instead of copying. The bulk getters {@link #images()} and {@link #labels()}
 * return copies; training loops should use {@link #copySample} or {@link BatchIterator},
 * which copy into caller-owned buffers.
 */
public final class Dataset implements BatchSource {
    /**
     * Mean of all pixel values (scaled to 0..1) of the full 60,000-image Fashion-MNIST
     * training set (0.28604). Using the full training set's statistics, not the sample's
     * or the test set's, keeps one fixed transform for training, evaluation and predict.
     */
    public static final float PIXEL_MEAN = 0.2860f;
    /** Standard deviation of the same pixel values (0.35302), see {@link #PIXEL_MEAN}. */
    public static final float PIXEL_STD = 0.3530f;

    // Every pixel maps through this table, so all code paths normalise bit-identically.
    private static final float[] NORMALISED = new float[256];

    static {
        for (int p = 0; p < 256; p++) {
            NORMALISED[p] = (p / 255f - PIXEL_MEAN) / PIXEL_STD;
        }
    }

    private final float[] images;  // shared by subsets; starts at sample `first`
    private final int[] labels;
    private final int first;
    private final int size;
    private final int channels;
    private final int height;
    private final int width;
    private final int numClasses;

    private Dataset(float[] images, int[] labels, int first, int size,
                    int channels, int height, int width, int numClasses) {
        this.images = images;
        this.labels = labels;
        this.first = first;
        this.size = size;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.numClasses = numClasses;
    }

    /** {@code (pixel / 255 − PIXEL_MEAN) / PIXEL_STD} for an unsigned pixel value 0..255. */
    public static float normalize(int pixel) {
        if (pixel < 0 || pixel > 255) {
            throw new IllegalArgumentException("pixel value must be 0..255, got " + pixel);
        }
        return NORMALISED[pixel];
    }

    /**
     * A data set from raw unsigned-byte pixels (N×C×H×W, read with {@code & 0xff}),
     * normalised with {@link #normalize}. Copies its inputs.
     *
     * @throws IllegalArgumentException if the lengths do not fit the shape or a label is
     *         outside 0..numClasses−1
     */
    public static Dataset fromPixels(byte[] pixels, int[] labels, int channels, int height, int width,
                                     int numClasses) {
        int sampleSize = checkShape(pixels.length, labels, channels, height, width, numClasses);
        float[] images = new float[labels.length * sampleSize];
        for (int i = 0; i < images.length; i++) {
            images[i] = NORMALISED[pixels[i] & 0xff];
        }
        return new Dataset(images, labels.clone(), 0, labels.length, channels, height, width, numClasses);
    }

    /**
     * A data set from already-normalised values (N×C×H×W). Copies its inputs.
     *
     * @throws IllegalArgumentException as for {@link #fromPixels}
     */
    /**
     * A data set from raw unsigned-byte pixels (N×C×H×W) normalised per channel with norm.
     * Copies its inputs.
     */
    public static Dataset fromPixels(byte[] pixels, int[] labels, int channels, int height, int width, int numClasses,
                                     PixelNormalization norm) {
        if (norm.channels() != channels) {
            throw new IllegalArgumentException("normalisation for " + norm.channels() + " channels, images have " + channels);
        }
        int sampleSize = checkShape(pixels.length, labels, channels, height, width, numClasses);
        int plane = height * width;
        float[][] table = new float[channels][256];
        for (int c = 0; c < channels; c++) for (int p = 0; p < 256; p++) table[c][p] = norm.apply(c, p);
        float[] images = new float[labels.length * sampleSize];
        for (int i = 0; i < images.length; i++) images[i] = table[(i / plane) % channels][pixels[i] & 0xff];
        return new Dataset(images, labels.clone(), 0, labels.length, channels, height, width, numClasses);
    }

    public static Dataset of(float[] images, int[] labels, int channels, int height, int width, int numClasses) {
        checkShape(images.length, labels, channels, height, width, numClasses);
        return new Dataset(images.clone(), labels.clone(), 0, labels.length, channels, height, width, numClasses);
    }

    private static int checkShape(long values, int[] labels, int channels, int height, int width, int numClasses) {
        if (channels <= 0 || height <= 0 || width <= 0 || numClasses <= 0) {
            throw new IllegalArgumentException("channels, height, width and numClasses must be positive: "
                    + channels + ", " + height + ", " + width + ", " + numClasses);
        }
        long sampleSize = (long) channels * height * width;
        if (sampleSize * labels.length != values) {
            throw new IllegalArgumentException(labels.length + " labels and " + channels + "×" + height + "×" + width
                    + " images need " + sampleSize * labels.length + " values, got " + values);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + ", expected 0.." + (numClasses - 1));
            }
        }
        return (int) sampleSize;
    }

    /** Number of samples. */
    @Override
    public int size() {
        return size;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** Floats per sample: channels × height × width. */
    public int sampleSize() {
        return channels * height * width;
    }

    /** All images, normalised, N×C×H×W (a fresh copy on every call). */
    public float[] images() {
        int sampleSize = sampleSize();
        float[] copy = new float[size * sampleSize];
        System.arraycopy(images, first * sampleSize, copy, 0, copy.length);
        return copy;
    }

    /** All labels, 0..numClasses−1 (a fresh copy on every call). */
    public int[] labels() {
        int[] copy = new int[size];
        System.arraycopy(labels, first, copy, 0, size);
        return copy;
    }

    /** The label of sample {@code i}. */
    public int label(int i) {
        return labels[first + Objects.checkIndex(i, size)];
    }

    /** Copies sample {@code i} (C×H×W floats) into {@code dst} starting at {@code dstOffset}. */
    public void copySample(int i, float[] dst, int dstOffset) {
        Objects.checkIndex(i, size);
        int sampleSize = sampleSize();
        Objects.checkFromIndexSize(dstOffset, sampleSize, dst.length);
        System.arraycopy(images, (first + i) * sampleSize, dst, dstOffset, sampleSize);
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive), sharing this set's storage. */
    public Dataset subset(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        return new Dataset(images, labels, first + from, to - from, channels, height, width, numClasses);
    }

    /** A {@link BatchIterator} over this set, at epoch's order. */
    @Override
    public BatchIterator batches(int epoch, int batchSize, boolean shuffle, long seed) {
        BatchIterator batches = shuffle ? BatchIterator.shuffled(this, batchSize, seed) : BatchIterator.sequential(this, batchSize);
        batches.reset(epoch);
        return batches;
    }

    /** How many samples each class has; index = label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int i = first; i < first + size; i++) {
            counts[labels[i]]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return "Dataset[" + size + " × " + channels + "×" + height + "×" + width + ", " + numClasses + " classes]";
    }
}
