package org.panamacnn.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.panamacnn.data.ImageFolder;
import org.panamacnn.data.LabelledData;

/**
 * Image folders of photos (scripts/fuzz 3m ImageFolderFuzzTest): the input is cut into four
 * equal files, two per class folder; loading gives data of the asked size, or an error naming
 * the folder or a file in it — nothing else, whatever the bytes.
 */
class ImageFolderFuzzTest {
    private static Path root;

    @FuzzTest
    void load(byte[] input) throws IOException {
        Path dir = folder(input);
        try {
            LabelledData data = ImageFolder.load(dir, new ImageFolder.Options(8, 8, 0, 0.5, 1));
            if (data.train().height() != 8 || data.train().width() != 8 || data.classes().size() != 2) {
                throw new AssertionError("loaded data of another shape: " + data.train().height() + "x" + data.train().width());
            }
        } catch (IOException | IllegalArgumentException expected) {
            String m = expected.getMessage();
            if (m == null || !m.contains(dir.toString())) throw new AssertionError("error does not name the folder or file: " + m, expected);
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
