package org.panamacnn.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.data.Cifar10;
import org.panamacnn.data.ImageFolder;
import org.panamacnn.infer.InferenceModel;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.train.Trainer;

/**
 * Every size computed from input goes through one budget, with checked arithmetic: data sets as a
 * whole (not per image), the activations of a planned batch, metadata files. Over it is an error
 * naming the source and the figure, before the allocation that would fail.
 */
class AllocationBudgetTest {
    @TempDir
    Path dir;

    private void pngs(Path folder, int count, int side) throws IOException {
        Files.createDirectories(folder);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < count; i++) ImageIO.write(img, "png", folder.resolve("img" + i + ".png").toFile());
    }

    @Test
    void productsThatOverflowAreErrorsNamingTheFactors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocationBudget.product("pixels", 60, 3, 1L << 40, 1L << 30));
        assertTrue(e.getMessage().startsWith("pixels: 60 × 3 × 1099511627776 × 1073741824 overflows"), e.getMessage());
        assertEquals(60L * 3 * 4096 * 4096, AllocationBudget.product("pixels", 60, 3, 4096, 4096));
    }

    @Test
    void anImageSizeThatOverflowsAnArrayIsNamedNotANegativeArraySize() throws IOException {
        pngs(dir.resolve("a"), 30, 4);
        pngs(dir.resolve("b"), 30, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.load(dir, new ImageFolder.Options(4096, 4096, 3, 0.1, 1)));
        assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("images decoded at 3×4096×4096")
                && e.getMessage().contains("more than one array holds"), e.getMessage());
    }

    @Test
    void theDataSetIsBudgetedAsAWholeNotPerImage() throws IOException {
        // each image is small; together they pass the budget (24 PNGs of 5000×5000 made a 1.8 GB array)
        pngs(dir.resolve("a"), 4, 200);
        pngs(dir.resolve("b"), 4, 200);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllocationBudget.withLimit(1 << 20, () -> {
            try {
                return ImageFolder.load(dir, new ImageFolder.Options(0, 0, 3, 0.25, 1));
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }));
        assertTrue(e.getMessage().startsWith(dir.toString()) && e.getMessage().contains("images decoded at 3×200×200 needs")
                && e.getMessage().contains("more than the memory budget of 1.0 MB"), e.getMessage());
    }

    private Path cifar() throws IOException {
        Path c = dir.resolve("cifar");
        Files.createDirectories(c);
        Files.write(c.resolve("data_batch_1.bin"), new byte[Cifar10.RECORD]);
        Files.write(c.resolve("test_batch.bin"), new byte[Cifar10.RECORD]);
        return c;
    }

    @Test
    void aHugeSparseClassListIsNotReadWhole() throws IOException {
        Path c = cifar();
        try (RandomAccessFile f = new RandomAccessFile(c.resolve("batches.meta.txt").toFile(), "rw")) {
            f.setLength(3L << 30);  // sparse: 3 GB long, nothing on disk
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cifar10.load(c));
        assertEquals(c.resolve("batches.meta.txt") + ": larger than 65,536 bytes; not a CIFAR-10 class list", e.getMessage());
    }

    @Test
    void aClassListThatIsNotUtf8OrNotTenNamesIsNamed() throws IOException {
        Path c = cifar(), meta = c.resolve("batches.meta.txt");
        Files.write(meta, new byte[] {'c', 'a', 't', '\n', (byte) 0xff, '\n'});
        String e = assertThrows(IllegalArgumentException.class, () -> Cifar10.load(c)).getMessage();
        assertEquals(meta + ": not UTF-8 text (bad byte at offset 4); not a CIFAR-10 class list", e);
        Files.writeString(meta, "cat\ndog\nbird\n", StandardCharsets.UTF_8);
        e = assertThrows(IOException.class, () -> Cifar10.load(c)).getMessage();
        assertTrue(e.contains(meta.toString()) && e.contains("holds 3 class names, one a line; CIFAR-10 has 10"), e);
        Files.writeString(meta, "a,b\nc\nd\ne\nf\ng\nh\ni\nj\nk\n\n", StandardCharsets.UTF_8);
        assertEquals("a,b", Cifar10.load(c).classes().getFirst());
    }

    @Test
    void aBillionImageBatchIsRefusedBeforeAllocating() {
        Sequential model = Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.01f), 1_000_000_000, 1));
        assertTrue(e.getMessage().startsWith("batch size 1000000000: training a batch of 1000000000 images (")
                && e.getMessage().contains("more than the memory budget"), e.getMessage());
        new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.01f), 64, 1);
    }

    @Test
    void activationsCountTowardsTheBudgetNotOnlyParameters() throws IOException {
        // 10,000 ReLU nodes in 344 kB: no parameters to speak of, gigabytes of activations at batch 64
        StringBuilder json = new StringBuilder("{\"graph\": [");
        for (int i = 0; i < 10_000; i++) json.append(i == 0 ? "" : ", ").append("{\"name\": \"r").append(i).append("\", \"layer\": \"relu\"}");
        json.append(", {\"name\": \"f\", \"layer\": \"flatten\"}, {\"name\": \"d\", \"layer\": \"dense out=classes\"}]}");
        Path def = dir.resolve("relus.json");
        Files.writeString(def, json);
        Sequential model = ModelDefinition.load(def, Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(0.01f), 64, 1));
        // every node keeps its output (7.8 M floats per image); backward holds two pending gradients and two more, and a quarter more, at batch 64
        assertTrue(e.getMessage().contains("(7841578 activation values and 7840 gradient values per image) needs 2.3 GB"), e.getMessage());
        // inference plans its workspace under the same budget
        InferenceModel planned = InferenceModel.compile(Models.defaultCnn(Shape.of(1, 28, 28), 10, ParallelExecutor.SEQUENTIAL));
        e = assertThrows(IllegalArgumentException.class, () -> AllocationBudget.withLimit(1 << 20, () -> planned.newWorkspace(64, 1)));
        assertTrue(e.getMessage().startsWith("workspace capacity 64: an inference workspace for 64 images"), e.getMessage());
    }
}
