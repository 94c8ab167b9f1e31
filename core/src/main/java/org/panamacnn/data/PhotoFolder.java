package org.panamacnn.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An image folder of photos that is never held decoded: only the file list and the labels stay in
 * memory, and each epoch's batches are decoded ahead of the training step by a few decoder threads
 * into a bounded number of batch buffers ({@link PrefetchedBatches}), so memory is bounded by
 * {@code ahead} batches, not by the data set. Each photo goes through torchvision's transforms
 * ({@link PhotoTransform}: random resized crop + flip for training, resize + centre crop for
 * evaluation) and the per-channel normalisation. The crop of photo i in epoch e depends only on
 * (seed, e, i), so the batches are the same whatever the decoder count or timing.
 */
public final class PhotoFolder implements BatchSource {
    /** Decoder threads and batches decoded ahead when not told otherwise. */
    public static final int DEFAULT_DECODERS = 2, DEFAULT_AHEAD = 3;

    private final List<Path> files;
    private final int[] labels;
    private final int numClasses, channels, height, width;
    private final boolean training;
    private final PixelNormalization norm;
    private final float[][] table;  // [channel][pixel]: the normalised value
    private final int decoders, ahead;

    /** A training and a test source over one folder, with the class names and the normalisation both use. */
    public record Split(PhotoFolder train, PhotoFolder test, List<String> classes, PixelNormalization normalization, String format) {}

    /**
     * @param training random resized crops and flips (else resize + centre crop)
     * @param decoders threads decoding photos
     * @param ahead batches decoded ahead of the one being read (≥ 1)
     */
    public PhotoFolder(List<Path> files, int[] labels, int numClasses, int channels, int height, int width, boolean training,
                       PixelNormalization norm, int decoders, int ahead) {
        if (files.size() != labels.length) throw new IllegalArgumentException(files.size() + " files but " + labels.length + " labels");
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        if (height < 1 || width < 1) throw new IllegalArgumentException("photos need an image size, got " + height + "x" + width);
        if (norm.channels() != channels) throw new IllegalArgumentException("normalisation for " + norm.channels() + " channels, images have " + channels);
        if (decoders < 1 || ahead < 1) throw new IllegalArgumentException("decoders and batches ahead must be at least 1, got " + decoders + " and " + ahead);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) throw new IllegalArgumentException(files.get(i) + ": label " + labels[i] + ", expected 0.." + (numClasses - 1));
        }
        this.files = List.copyOf(files);
        this.labels = labels.clone();
        this.numClasses = numClasses;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.training = training;
        this.norm = norm;
        this.decoders = decoders;
        this.ahead = ahead;
        this.table = new float[channels][256];
        for (int c = 0; c < channels; c++) for (int p = 0; p < 256; p++) table[c][p] = norm.apply(c, p);
    }

    /**
     * The folder's training photos (random resized crops) and test photos (centre crops) at opt's
     * size (which must be given), normalised with norm (null: ImageNet's for colour; for grey,
     * the mean of ImageNet's channel means and stds, 0.449 and 0.226).
     */
    public static Split open(Path dir, ImageFolder.Options opt, PixelNormalization norm, int decoders, int ahead) throws IOException {
        if (opt.height() == 0) throw new IllegalArgumentException(dir + ": photos need an image size (--image-size)");
        ImageFolder.Listing listing = ImageFolder.list(dir, opt);
        int channels = ImageFolder.channels(listing, opt);
        PixelNormalization n = norm != null ? norm : defaultNormalization(channels);
        int k = listing.classes().size();
        return new Split(new PhotoFolder(listing.trainFiles(), listing.trainLabels(), k, channels, opt.height(), opt.width(), true, n, decoders, ahead),
                new PhotoFolder(listing.testFiles(), listing.testLabels(), k, channels, opt.height(), opt.width(), false, n, decoders, ahead),
                listing.classes(), n, listing.format() + ", photos decoded as training goes");
    }

    /** ImageNet's for 3 channels; one channel gets the means of its means and of its stds. */
    public static PixelNormalization defaultNormalization(int channels) {
        return channels == 3 ? PixelNormalization.IMAGENET : new PixelNormalization(new float[] {0.449f}, new float[] {0.226f});
    }

    @Override
    public int size() {
        return files.size();
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

    public int sampleSize() {
        return channels * height * width;
    }

    public PixelNormalization normalization() {
        return norm;
    }

    /** Whether photos are randomly cropped and flipped (training) or centre-cropped (evaluation). */
    public boolean training() {
        return training;
    }

    public int label(int i) {
        return labels[Objects.checkIndex(i, labels.length)];
    }

    public Path file(int i) {
        return files.get(i);
    }

    @Override
    public PrefetchedBatches batches(int epoch, int batchSize, boolean shuffle, long seed) {
        if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        int[] order = new int[files.size()];
        if (shuffle) {
            BatchIterator.shuffle(order, seed, epoch);
        } else {
            for (int i = 0; i < order.length; i++) order[i] = i;
        }
        return new PrefetchedBatches(this, order, batchSize, epoch, seed, decoders, ahead);
    }

    /**
     * Decodes photo i as epoch sees it into out[at .. at + C·H·W), normalised. Its crop is drawn from
     * SplitMix64(SplitMix64(seed ^ SplitMix64(epoch)) ^ i): nothing else.
     *
     * @throws ImageFormatException naming the file if it cannot be read or decoded
     */
    void decode(int i, int epoch, long seed, byte[] pixels, float[] out, int at) throws IOException {
        Path file = files.get(i);
        try {
            BufferedImage picture = ImageFiles.read(file);
            if (picture == null) throw new ImageFormatException(file.toString(), "not a PNG, JPEG, GIF, BMP or TIFF image");
            if (training) {
                long imageSeed = Augmentation.mix(Augmentation.mix(seed ^ Augmentation.mix(epoch)) ^ i);
                PhotoTransform.randomResizedCrop(picture, channels, height, width, imageSeed, pixels, 0);
            } else {
                PhotoTransform.centre(picture, channels, height, width, pixels, 0);
            }
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {  // a vanished file, a crop that does not fit, a decoder bug
            throw new ImageFormatException(file.toString(), e.toString(), e);
        }
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float[] t = table[c];
            for (int p = 0; p < plane; p++) out[at + c * plane + p] = t[pixels[c * plane + p] & 0xFF];
        }
    }

    @Override
    public String toString() {
        return "PhotoFolder[" + files.size() + " × " + channels + "×" + height + "×" + width + ", " + numClasses + " classes, "
                + (training ? "random resized crops" : "centre crops") + "]";
    }
}
