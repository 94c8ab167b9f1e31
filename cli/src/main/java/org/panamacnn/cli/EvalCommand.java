package org.panamacnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.panamacnn.data.BatchSource;
import org.panamacnn.data.DataSets;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.data.ImageFolder;
import org.panamacnn.data.PhotoFolder;
import org.panamacnn.data.Resizing;
import org.panamacnn.infer.Predictor;
import org.panamacnn.tensor.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code panama-cnn eval}: accuracy, per-class accuracy and the confusion matrix of a saved model on a test set. */
@Command(name = "eval", header = "accuracy, per-class accuracy and confusion matrix of a saved model", sortOptions = false, customSynopsis = "panama-cnn eval [--model FILE] [--data DIR] [--threads T]",
        description = {"Evaluates a model saved by 'train' on the test images of a data set: overall accuracy, accuracy per "
                + "class and the confusion matrix.", ""})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE", defaultValue = TrainingOptions.DEFAULT_MODEL,
            description = "the model: .safetensors (saved by train) or .onnx (default: ${DEFAULT-VALUE})")
    private String modelFile;

    @Option(names = "--data", paramLabel = "DIR",
            description = "IDX directory, CIFAR-10 batches or image folder (default: the bundled Fashion-MNIST sample); "
                    + "read at the model's input size")
    private String data;

    @Option(names = "--threads", paramLabel = "T", converter = Converters.PositiveInt.class,
            description = "worker threads (default: number of cores)")
    private Integer threadsAsked;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    private boolean help;

    private final PrintStream out;

    EvalCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        Path dataDir = Path.of(data != null ? data : TrainingOptions.defaultDataDir().toString());
        int threads = ThreadCount.capped(threadsAsked != null ? threadsAsked : Runtime.getRuntime().availableProcessors(), out);
        try (Predictor predictor = Predictor.load(Path.of(modelFile), threads)) {
            BatchSource test = testSet(predictor, modelFile, dataDir);
            String[] names = classNames(predictor);
            int k = predictor.classes(), size = test.channels() * test.height() * test.width(), batch = Predictor.MAX_BATCH;
            int[][] confusion = new int[k][k];
            float[] images = new float[batch * size], probs = new float[batch * k], one = new float[k];
            int[] labels = new int[batch];
            int correct = 0;
            try (BatchSource.Batches batches = test.batches(0, batch, false, 0)) {
                for (int count; (count = batches.next(images, labels)) > 0; ) { // batches of test images, one call each
                    predictor.probabilities(images, count, probs);
                    for (int i = 0; i < count; i++) {
                        System.arraycopy(probs, i * k, one, 0, k);
                        int predicted = argmax(one), label = labels[i];
                        confusion[label][predicted]++;
                        if (predicted == label) correct++;
                    }
                }
            }
            out.printf("%s on %s: accuracy %.2f%% (%,d of %,d test images)%n", modelFile, dataDir,
                    100.0 * correct / test.size(), correct, test.size());
            out.println("per class, and the confusion matrix (rows: true class, columns: predicted class):");
            StringBuilder header = new StringBuilder(String.format("  %-16s %7s ", "true class", "acc"));
            for (int p = 0; p < k; p++) header.append(String.format("%6d", p));
            out.println(header);
            for (int t = 0; t < k; t++) {
                int total = 0;
                StringBuilder row = new StringBuilder();
                for (int p = 0; p < k; p++) {
                    total += confusion[t][p];
                    row.append(String.format("%6d", confusion[t][p]));
                }
                String name = t + " " + (t < names.length ? names[t] : "class " + t);
                out.printf("  %-16s %6.2f%% %s%n", name, total == 0 ? 0.0 : 100.0 * confusion[t][t] / total, row);
            }
        }
        return 0;
    }

    /**
     * The data's test set, read as the model was trained: its input size and channels, its
     * normalisation, resize and split (photos are decoded batch by batch, centre-cropped).
     */
    private static BatchSource testSet(Predictor predictor, String modelFile, Path dir) throws IOException {
        Shape in = predictor.inputShape();
        java.util.Map<String, String> meta = predictor.metadata();
        int c = in.rank() == 3 ? in.dim(0) : 0, h = in.rank() == 3 ? in.dim(1) : 0, w = in.rank() == 3 ? in.dim(2) : 0;
        double fraction;
        try {
            fraction = Double.parseDouble(meta.getOrDefault("test_fraction", "0.1"));
        } catch (NumberFormatException e) {
            throw new org.panamacnn.io.ModelFormatException(modelFile, "metadata test_fraction \"" + meta.get("test_fraction") + "\" is not a number");
        }
        ImageFolder.Options opt = new ImageFolder.Options(h, w, c, fraction,
                org.panamacnn.io.ModelMetadata.wholeNumber(modelFile, meta, "seed", 42));
        BatchSource test = predictor.resizing().equals(Resizing.STRETCH) ? DataSets.load(dir, opt, predictor.normalization()).test()
                : PhotoFolder.open(dir, opt, predictor.normalization(), PhotoFolder.DEFAULT_DECODERS, PhotoFolder.DEFAULT_AHEAD).test();
        Shape sample = Shape.of(test.channels(), test.height(), test.width());
        if (!sample.equals(in)) throw new IllegalArgumentException(dir + ": test images are " + sample + " but the model takes " + in);
        return test;
    }

    /** The class names the model file keeps (Fashion-MNIST's for 1-channel 10-class files without them, else none). */
    static String[] classNames(Predictor predictor) {
        String names = predictor.metadata().get("classes");
        if (names != null) return org.panamacnn.io.ClassNames.fromMetadata(names).toArray(String[]::new);
        // Fashion-MNIST's names only for what looks like a Fashion-MNIST model; others print "class N"
        boolean fashion = predictor.classes() == FashionMnist.CLASS_NAMES.length && predictor.inputShape().dim(0) == 1;
        return fashion ? FashionMnist.CLASS_NAMES : new String[0];
    }

    static int argmax(float[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        return best;
    }
}
