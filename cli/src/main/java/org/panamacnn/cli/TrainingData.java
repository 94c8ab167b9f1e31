package org.panamacnn.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.panamacnn.data.BatchSource;
import org.panamacnn.data.DataSets;
import org.panamacnn.data.ImageFolder;
import org.panamacnn.data.LabelledData;
import org.panamacnn.data.PhotoFolder;
import org.panamacnn.data.PixelNormalization;
import org.panamacnn.data.Resizing;

/**
 * What train reads: a training and a test source (in memory, or photos decoded as training goes),
 * the class names, the normalisation and the resize the model file will keep so that eval and
 * predict transform pictures the same way.
 */
record TrainingData(BatchSource train, BatchSource test, List<String> classes, PixelNormalization normalization, Resizing resizing,
                    String format) {
    /** Everything decoded at load ({@link DataSets}); norm null: the data's own (IDX keeps its constants). */
    static TrainingData inMemory(Path dir, ImageFolder.Options opt, PixelNormalization norm) throws IOException {
        LabelledData d = DataSets.load(dir, opt, norm);
        return new TrainingData(d.train(), d.test(), d.classes(), d.normalization(), Resizing.STRETCH, d.format());
    }

    /** An image folder of photos, decoded batch by batch with torchvision's transforms ({@link PhotoFolder}). */
    static TrainingData photos(Path dir, ImageFolder.Options opt, PixelNormalization norm, int decoders) throws IOException {
        if (!ImageFolder.isImageFolder(dir)) throw new UsageException("--photos reads image folders (one subfolder per class); " + dir + " is not one");
        if (opt.height() == 0) throw new UsageException("--photos needs --image-size (224 for torchvision's ImageNet models)");
        PhotoFolder.Split s = PhotoFolder.open(dir, opt, norm, decoders, PhotoFolder.DEFAULT_AHEAD);
        return new TrainingData(s.train(), s.test(), s.classes(), s.normalization(), Resizing.centreCrop(opt.height(), opt.width()), s.format());
    }
}
