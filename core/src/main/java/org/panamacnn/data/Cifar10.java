package org.panamacnn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.panamacnn.io.TextFiles;
import org.panamacnn.tensor.AllocationBudget;

/**
 * The CIFAR-10 binary format: data_batch_1..5.bin and test_batch.bin, each a run of 3,073-byte
 * records (one label byte 0..9, then 32×32 red, green and blue planes). Class names come from
 * batches.meta.txt when present.
 */
public final class Cifar10 {
    public static final int SIDE = 32, CHANNELS = 3, RECORD = 1 + CHANNELS * SIDE * SIDE;
    static final List<String> DEFAULT_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private Cifar10() {}

    /** True if dir (or dir/cifar-10-batches-bin) holds CIFAR-10 binary batches. */
    public static boolean isCifar(Path dir) {
        return Files.isRegularFile(root(dir).resolve("data_batch_1.bin"));
    }

    private static Path root(Path dir) {
        Path inner = dir.resolve("cifar-10-batches-bin");
        return Files.isDirectory(inner) ? inner : dir;
    }

    /** Loads the five training batches that exist (at least data_batch_1) and test_batch. */
    public static LabelledData load(Path dir) throws IOException {
        return load(dir, null);
    }

    /** As {@link #load(Path)}, normalised with `norm` (a trained model's) instead of the training pixels' own statistics. */
    public static LabelledData load(Path dir, PixelNormalization given) throws IOException {
        Path r = root(dir);
        List<Path> trainFiles = new ArrayList<>();
        for (int b = 1; b <= 5; b++) if (Files.isRegularFile(r.resolve("data_batch_" + b + ".bin"))) trainFiles.add(r.resolve("data_batch_" + b + ".bin"));
        Path test = r.resolve("test_batch.bin");
        if (trainFiles.isEmpty() || !Files.isRegularFile(test)) {
            throw new NoSuchFileException(r.toString(), null, "CIFAR-10 needs data_batch_1.bin .. data_batch_5.bin and test_batch.bin");
        }
        Raw train = read(trainFiles), testRaw = read(List.of(test));
        PixelNormalization norm = given != null ? given : PixelNormalization.of(train.pixels, CHANNELS, SIDE * SIDE);
        List<String> classes = classNames(r);
        return new LabelledData(
                Dataset.fromPixels(train.pixels, train.labels, CHANNELS, SIDE, SIDE, classes.size(), norm),
                Dataset.fromPixels(testRaw.pixels, testRaw.labels, CHANNELS, SIDE, SIDE, classes.size(), norm),
                classes, norm, "CIFAR-10 binary");
    }

    private record Raw(byte[] pixels, int[] labels) {}

    private static Raw read(List<Path> files) throws IOException {
        long total = 0;
        for (Path f : files) {
            long size = Files.size(f);
            if (size == 0 || size % RECORD != 0) {
                throw new IdxFormatException(f.toString(), size - size % RECORD, "size " + size + " is not a whole number of "
                        + RECORD + "-byte CIFAR-10 records");
            }
            total += size / RECORD;
        }
        if (total * (RECORD - 1) > IdxFile.MAX_DATA) throw new IdxFormatException(files.getFirst().toString(), "more than " + IdxFile.MAX_DATA + " bytes of pixels");
        // the pixels, and the normalised floats made from them
        AllocationBudget.require(files.getFirst().getParent() + " (" + files.size() + " CIFAR-10 batches)", total + " images decoded",
                AllocationBudget.product("CIFAR-10 pixels", total, RECORD - 1, 1 + Float.BYTES));
        byte[] pixels = new byte[(int) (total * (RECORD - 1))];
        int[] labels = new int[(int) total];
        int n = 0;
        byte[] record = new byte[RECORD];
        for (Path f : files) {
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
                for (long at = 0; in.readNBytes(record, 0, RECORD) == RECORD; at += RECORD, n++) {
                    int label = record[0] & 0xff;
                    if (label >= DEFAULT_CLASSES.size()) {
                        throw new IdxFormatException(f.toString(), at, "label " + label + ", expected 0..9");
                    }
                    labels[n] = label;
                    System.arraycopy(record, 1, pixels, n * (RECORD - 1), RECORD - 1);
                }
            }
        }
        return new Raw(pixels, labels);
    }

    /** Longest batches.meta.txt read: ten class names, with room to spare. */
    static final int MAX_META_BYTES = 1 << 16;

    /** The names in batches.meta.txt, one a line (blank lines ignored): ten of them, or an error naming the file. */
    private static List<String> classNames(Path dir) throws IOException {
        Path meta = dir.resolve("batches.meta.txt");
        if (!Files.isRegularFile(meta)) return DEFAULT_CLASSES;
        List<String> names = TextFiles.read(meta, MAX_META_BYTES, "a CIFAR-10 class list").lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (names.size() != DEFAULT_CLASSES.size()) {
            throw new IdxFormatException(meta.toString(), "holds " + names.size() + " class names, one a line; CIFAR-10 has " + DEFAULT_CLASSES.size());
        }
        return names;
    }
}
