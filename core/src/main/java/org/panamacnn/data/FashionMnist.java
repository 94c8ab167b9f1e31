package org.panamacnn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The Fashion-MNIST training and test sets, loaded from the four standard IDX files.
 *
 * @param train the training set ({@code train-*} files)
 * @param test  the test set ({@code t10k-*} files)
 */
public record FashionMnist(Dataset train, Dataset test) {
    public static final int NUM_CLASSES = 10;

    /** Class names, index = label. */
    public static final String[] CLASS_NAMES = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /**
     * Loads both sets from {@code dir}. Each file may be named {@code NAME} or {@code NAME.gz}
     * (if both exist, {@code NAME} wins); gzip is detected by content either way.
     *
     * @throws java.nio.file.NoSuchFileException if a file is missing, listing the names tried
     * @throws IdxFormatException if a file is malformed, image and label counts differ, a label
     *         is outside 0..9, or the two sets have different image sizes
     */
    public static FashionMnist load(Path dir) throws IOException {
        Dataset train = loadPair(find(dir, TRAIN_IMAGES), find(dir, TRAIN_LABELS));
        Dataset test = loadPair(find(dir, TEST_IMAGES), find(dir, TEST_LABELS));
        if (train.height() != test.height() || train.width() != test.width()) {
            throw new IdxFormatException(dir.toString(), "training images are " + train.height() + "×" + train.width()
                    + " but test images are " + test.height() + "×" + test.width() + "; they must agree");
        }
        return new FashionMnist(train, test);
    }

    /**
     * Loads one labelled set from a 3-D image file (N×rows×cols) and a 1-D label file (N)
     * with labels 0..9. Also usable for any other pair of such files.
     */
    public static Dataset loadPair(Path imagesFile, Path labelsFile) throws IOException {
        return loadPair(IdxFile.read(imagesFile), IdxFile.read(labelsFile));
    }

    /** As {@link #loadPair(Path, Path)}, from files already read (e.g. from a Hadoop file system). */
    public static Dataset loadPair(IdxFile images, IdxFile labels) throws IdxFormatException {
        if (images.rank() != 3) {
            throw new IdxFormatException(images.source(), 3, "expected 3 dimensions (images × rows × columns), found "
                    + images.rank() + " " + Arrays.toString(images.dims()));
        }
        if (labels.rank() != 1) {
            throw new IdxFormatException(labels.source(), 3, "expected 1 dimension (labels), found "
                    + labels.rank() + " " + Arrays.toString(labels.dims()));
        }
        if (images.dim(0) != labels.dim(0)) {
            throw new IdxFormatException(labels.source(), 4, "label count " + labels.dim(0)
                    + " does not match the image count " + images.dim(0) + " of " + images.source());
        }
        int[] classes = new int[labels.length()];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = labels.unsignedAt(i);
            if (classes[i] >= NUM_CLASSES) {
                throw new IdxFormatException(labels.source(), labels.headerLength() + i, "label of image " + i
                        + " is " + classes[i] + ", expected 0.." + (NUM_CLASSES - 1));
            }
        }
        // the images become normalised floats: 4 bytes for every byte of the file
        org.panamacnn.tensor.AllocationBudget.require(images.source(), images.dim(0) + " images decoded",
                org.panamacnn.tensor.AllocationBudget.product("IDX images", images.length(), Float.BYTES));
        return Dataset.fromPixels(images.rawBytes(), classes, 1, images.dim(1), images.dim(2), NUM_CLASSES);
    }

    private static Path find(Path dir, String name) throws IOException {
        Path plain = dir.resolve(name);
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        String where = Files.isDirectory(dir) ? dir.toString() : dir + " (not a directory)";
        throw new NoSuchFileException(plain.toString(), null,
                "Fashion-MNIST file missing in " + where + ": looked for " + name + " and " + name + ".gz");
    }
}
