package org.panamacnn.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.panamacnn.tensor.AllocationBudget;

/**
 * A folder of images, one subfolder per class ({@code DIR/cat/*.png, DIR/dog/*.jpg}), or
 * {@code DIR/train/<class>/...} and {@code DIR/test/<class>/...}. PNG, JPEG, GIF, BMP and TIFF,
 * grey or colour, each scaled (bilinear) to one size. Without a test folder, a seeded fraction
 * of each class is held out for testing. All images are decoded once, at load, on every core, so
 * training steps never wait for a decoder.
 */
public final class ImageFolder {
    /** Most images read (a guard against pointing --data at a whole disk). */
    public static final int MAX_IMAGES = 1_000_000;

    /**
     * @param height, width the size images are scaled to, or 0 for the first image's size
     * @param channels 1 (grey), 3 (colour) or 0: colour if the first image is
     * @param testFraction held out per class when there is no test folder
     */
    public record Options(int height, int width, int channels, double testFraction, long seed) {
        public Options {
            if (height < 0 || width < 0 || (height == 0) != (width == 0)) throw new IllegalArgumentException("image size " + height + "x" + width);
            if (channels != 0 && channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
            if (!(testFraction >= 0 && testFraction < 1)) throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
        }

        public static Options defaults(long seed) {
            return new Options(0, 0, 0, 0.1, seed);
        }
    }

    private ImageFolder() {}

    /** True if dir has at least one subfolder (a class, or train/). */
    public static boolean isImageFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(Files::isDirectory);
        }
    }

    public static LabelledData load(Path dir, Options opt) throws IOException {
        return load(dir, opt, null);
    }

    /** The files of a folder split into training and test, their labels, the class names and how it was split. */
    public record Listing(List<Path> trainFiles, int[] trainLabels, List<Path> testFiles, int[] testLabels, List<String> classes,
                          String format) {}

    /** Lists dir's images by class and splits them (train/ and test/, or a seeded fraction of each class held out). */
    public static Listing list(Path dir, Options opt) throws IOException {
        boolean split = Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"));
        Path trainDir = split ? dir.resolve("train") : dir;
        List<String> classes = subfolders(trainDir);
        if (classes.size() < 2) throw new IllegalArgumentException(trainDir + ": needs at least two class subfolders, found " + classes);
        List<Path> trainFiles = new ArrayList<>(), testFiles = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>(), testLabels = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(opt.seed());
        for (int c = 0; c < classes.size(); c++) {
            List<Path> files = images(trainDir.resolve(classes.get(c)));
            if (files.isEmpty()) throw new IllegalArgumentException(trainDir.resolve(classes.get(c)) + ": no image files");
            if (split) {
                add(files, c, trainFiles, trainLabels);
                Path t = dir.resolve("test").resolve(classes.get(c));
                if (Files.isDirectory(t)) add(images(t), c, testFiles, testLabels);
            } else {
                // a seeded shuffle per class, then the first fraction is held out
                for (int i = files.size() - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    Path tmp = files.get(i);
                    files.set(i, files.get(j));
                    files.set(j, tmp);
                }
                int held = (int) Math.min(Math.round(files.size() * opt.testFraction()), files.size() - 1);  // keep one to train on
                add(files.subList(0, held), c, testFiles, testLabels);
                add(files.subList(held, files.size()), c, trainFiles, trainLabels);
            }
        }
        if (trainFiles.size() + testFiles.size() > MAX_IMAGES) throw new IllegalArgumentException(dir + ": more than " + MAX_IMAGES + " images");
        if (testFiles.isEmpty()) throw new IllegalArgumentException(dir + ": no test images (add a test/ folder or a test fraction above 0)");
        return new Listing(List.copyOf(trainFiles), trainLabels.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(testFiles),
                testLabels.stream().mapToInt(Integer::intValue).toArray(), classes,
                "image folder (" + (split ? "train/ and test/" : Math.round(100 * opt.testFraction()) + "% held out, seed " + opt.seed()) + ")");
    }

    /** The channel count opt asks for, or 3 if the first training image has colour, else 1. */
    static int channels(Listing listing, Options opt) throws IOException {
        if (opt.channels() > 0) return opt.channels();
        return firstImage(listing).getColorModel().getNumColorComponents() >= 3 ? 3 : 1;
    }

    private static BufferedImage firstImage(Listing listing) throws IOException {
        BufferedImage first = ImageFiles.read(listing.trainFiles().getFirst());
        if (first == null) throw new ImageFormatException(listing.trainFiles().getFirst().toString(), "not a PNG, JPEG, GIF, BMP or TIFF image");
        return first;
    }

    /** As {@link #load(Path, Options)}, normalised with `given` (a trained model's) when not null. */
    public static LabelledData load(Path dir, Options opt, PixelNormalization given) throws IOException {
        Listing listing = list(dir, opt);
        BufferedImage first = firstImage(listing);
        int h = opt.height() > 0 ? opt.height() : first.getHeight(), w = opt.width() > 0 ? opt.width() : first.getWidth();
        int channels = opt.channels() > 0 ? opt.channels() : (first.getColorModel().getNumColorComponents() >= 3 ? 3 : 1);
        byte[] trainPixels = decode(listing.trainFiles(), channels, h, w), testPixels = decode(listing.testFiles(), channels, h, w);
        PixelNormalization norm = given != null ? given : PixelNormalization.of(trainPixels, channels, h * w);
        int classes = listing.classes().size();
        return new LabelledData(Dataset.fromPixels(trainPixels, listing.trainLabels(), channels, h, w, classes, norm),
                Dataset.fromPixels(testPixels, listing.testLabels(), channels, h, w, classes, norm), listing.classes(), norm, listing.format());
    }

    private static void add(List<Path> files, int label, List<Path> to, List<Integer> labels) {
        to.addAll(files);
        for (int i = 0; i < files.size(); i++) labels.add(label);
    }

    private static List<String> subfolders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList());
        }
    }

    /** Decodes every file (in parallel; each into its own slot, so the result does not depend on the threads) to N×C×H×W bytes. */
    private static byte[] decode(List<Path> files, int channels, int h, int w) throws IOException {
        String source = files.isEmpty() ? "image folder" : String.valueOf(files.getFirst().getParent().getParent());
        String what = files.size() + " images decoded at " + channels + "×" + h + "×" + w;
        long values = AllocationBudget.product(what, files.size(), channels, h, w);
        // each pixel is held as a byte here and as a normalised float in the data set
        byte[] out = new byte[AllocationBudget.requireArray(source, what, values, 1 + Float.BYTES)];
        try {
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                try {
                    BufferedImage img = ImageFiles.read(files.get(i));
                    if (img == null) throw new ImageFormatException(files.get(i).toString(), "not a PNG, JPEG, GIF, BMP or TIFF image");
                    pixels(img, channels, h, w, out, i * channels * h * w);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    /** The image scaled to h×w, as C planes of bytes (grey, or red, green, blue). */
    public static void pixels(BufferedImage img, int channels, int h, int w, byte[] out, int at) {
        BufferedImage scaled = new BufferedImage(w, h, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (channels == 1) {
                    out[at + y * w + x] = (byte) scaled.getRaster().getSample(x, y, 0);
                } else {
                    int rgb = scaled.getRGB(x, y);
                    out[at + y * w + x] = (byte) (rgb >> 16);
                    out[at + h * w + y * w + x] = (byte) (rgb >> 8);
                    out[at + 2 * h * w + y * w + x] = (byte) rgb;
                }
            }
        }
    }
}
