package org.panamacnn.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.panamacnn.data.Augmentation;
import org.panamacnn.data.Dataset;
import org.panamacnn.data.ImageFolder;
import org.panamacnn.data.LabelledData;

/**
 * Image folders of photos (scripts/fuzz 3m ImageFolderFuzzTest): the input is cut into four
 * equal files, two per class folder (PNG, JPEG or anything else, whatever the bytes say, of any
 * declared size); loading decodes and scales each to 8×8, or fails with an error naming the folder
 * or a file in it. Loaded images then go through the training crop and flip (padding and flip
 * chosen by the input's last byte), which must keep every value an image value or the padding's.
 */
class ImageFolderFuzzTest {
    private static Path root;

    @FuzzTest
    void load(byte[] input) throws IOException {
        Path dir = folder(input);
        LabelledData data;
        try {
            data = ImageFolder.load(dir, new ImageFolder.Options(8, 8, 0, 0.5, 1));
        } catch (IOException | IllegalArgumentException expected) {
            String m = expected.getMessage();
            if (m == null || !m.contains(dir.toString())) throw new AssertionError("error does not name the folder or file: " + m, expected);
            return;
        }
        if (data.train().height() != 8 || data.train().width() != 8 || data.classes().size() != 2) {
            throw new AssertionError("loaded data of another shape: " + data.train().height() + "x" + data.train().width());
        }
        int last = input.length == 0 ? 0 : input[input.length - 1];
        cropAndFlip(data, (last & 0x0F) % 9, (last & 0x10) != 0);
    }

    /** Augments the training images; each output value must come from the same image and channel, or be the padding's black. */
    private static void cropAndFlip(LabelledData data, int pad, boolean flip) {
        Dataset train = data.train();
        int c = train.channels(), hw = train.height() * train.width(), n = train.size();
        float[] before = train.images().clone(), after = train.images().clone();
        new Augmentation(pad, flip, 7, c, train.height(), train.width(), data.normalization()).apply(after, n, 0, 0);
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int at = (i * c + ch) * hw;
                float[] plane = Arrays.copyOfRange(before, at, at + hw);
                Arrays.sort(plane);
                float black = data.normalization().apply(ch, 0);
                for (int p = 0; p < hw; p++) {
                    float v = after[at + p];
                    if (!Float.isFinite(v) || (v != black && Arrays.binarySearch(plane, v) < 0)) {
                        throw new AssertionError("crop " + pad + (flip ? " with flip" : "") + " made value " + v + " in image " + i + " channel " + ch);
                    }
                }
            }
        }
    }

    private static synchronized Path folder(byte[] input) {
        try {
            if (root == null) root = FuzzFiles.directory("panama-cnn-fuzz-folder");
            int quarter = input.length / 4;
            for (int i = 0; i < 4; i++) {
                Path f = root.resolve(i < 2 ? "a" : "b").resolve(i % 2 + ".png");
                Files.createDirectories(f.getParent());
                Files.write(f, Arrays.copyOfRange(input, i * quarter, (i + 1) * quarter));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
