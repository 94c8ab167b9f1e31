package org.panamacnn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/** Recognises what a --data directory holds: IDX (Fashion-MNIST layout), CIFAR-10 binary, or an image folder. */
public final class DataSets {
    private DataSets() {}

    /** Loads dir; image-folder options apply only to image folders. */
    public static LabelledData load(Path dir, ImageFolder.Options imageOptions) throws IOException {
        return load(dir, imageOptions, null);
    }

    /** As above, normalised with a trained model's normalisation (null: the training pixels' own; IDX keeps its constants). */
    public static LabelledData load(Path dir, ImageFolder.Options imageOptions, PixelNormalization given) throws IOException {
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir.toString(), null, "not a directory");
        if (Files.exists(dir.resolve(FashionMnist.TRAIN_IMAGES)) || Files.exists(dir.resolve(FashionMnist.TRAIN_IMAGES + ".gz"))) {
            FashionMnist f = FashionMnist.load(dir);
            return new LabelledData(f.train(), f.test(), Arrays.asList(FashionMnist.CLASS_NAMES), PixelNormalization.FASHION_MNIST, "IDX");
        }
        if (Cifar10.isCifar(dir)) return Cifar10.load(dir, given);
        if (ImageFolder.isImageFolder(dir)) return ImageFolder.load(dir, imageOptions, given);
        throw new NoSuchFileException(dir.toString(), null, "holds no IDX files (" + FashionMnist.TRAIN_IMAGES
                + "[.gz]), no CIFAR-10 batches (data_batch_1.bin) and no class subfolders of images");
    }
}
