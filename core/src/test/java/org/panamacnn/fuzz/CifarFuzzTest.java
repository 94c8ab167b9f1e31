package org.panamacnn.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.panamacnn.data.Cifar10;
import org.panamacnn.data.LabelledData;

/**
 * CIFAR-10 directories (scripts/fuzz 3m CifarFuzzTest): the input's first line-free part is the
 * class list, the rest one training batch; loading gives ten classes of 3×32×32 images, or an
 * error naming a file of the directory.
 */
class CifarFuzzTest {
    private static Path root;

    @FuzzTest
    void load(byte[] input) throws IOException {
        Path dir = directory(input);
        try {
            LabelledData data = Cifar10.load(dir);
            if (data.classes().size() != 10 || data.train().channels() != 3) throw new AssertionError("loaded " + data.classes());
        } catch (IOException | IllegalArgumentException expected) {
            String m = expected.getMessage();
            if (m == null || !m.contains(dir.toString())) throw new AssertionError("error does not name a file: " + m, expected);
        }
    }

    /** batches.meta.txt: the input up to its first 0 byte; data_batch_1.bin: the rest; test_batch.bin: one valid record. */
    private static synchronized Path directory(byte[] input) {
        try {
            if (root == null) {
                root = FuzzFiles.directory("panama-cnn-fuzz-cifar");
                Files.write(root.resolve("test_batch.bin"), new byte[Cifar10.RECORD]);
            }
            int cut = 0;
            while (cut < input.length && input[cut] != 0) cut++;
            Files.write(root.resolve("batches.meta.txt"), Arrays.copyOfRange(input, 0, cut));
            Files.write(root.resolve("data_batch_1.bin"), Arrays.copyOfRange(input, Math.min(cut + 1, input.length), input.length));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
