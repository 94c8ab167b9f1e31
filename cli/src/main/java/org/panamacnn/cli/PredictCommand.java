package org.panamacnn.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.panamacnn.data.IdxFile;
import org.panamacnn.data.ImageFiles;
import org.panamacnn.data.PixelNormalization;
import org.panamacnn.infer.Predictor;
import org.panamacnn.tensor.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panama-cnn predict}: the class and probabilities of each image, from PNG (or other image) files or IDX image files. */
@Command(name = "predict", header = "classify images (PNG, JPEG, ..., IDX) with a saved model (.safetensors or .onnx)", sortOptions = false, customSynopsis = "panama-cnn predict [--model FILE] IMAGE...",
        description = {"Classifies images with a model saved by 'train'. An IMAGE is a PNG/JPEG/GIF/BMP/TIFF file (scaled to the "
                + "model's input size, grey or colour as the model takes, normalised as in training; for Fashion-MNIST models a "
                + "light object on a dark background) or an IDX image file (raw or .gz), each of whose images is classified. "
                + "Prints the most likely class and the top three probabilities, with the class names the model file keeps.", ""})
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE", defaultValue = TrainingOptions.DEFAULT_MODEL,
            description = "the model: .safetensors (saved by train) or .onnx (default: ${DEFAULT-VALUE})")
    private String modelFile;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "image files or IDX image files")
    private List<String> images = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    private boolean help;

    private final PrintStream out;

    PredictCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        if (images.isEmpty()) throw new UsageException("predict needs at least one IMAGE");
        try (Predictor predictor = Predictor.load(Path.of(modelFile))) {
            Shape in = predictor.inputShape();
            if (in.rank() != 3 || (in.dim(0) != 1 && in.dim(0) != 3)) {
                throw new IllegalArgumentException("predict handles grey or colour image models; this one takes " + in);
            }
            int c = in.dim(0), h = in.dim(1), w = in.dim(2);
            PixelNormalization norm = predictor.normalization();
            String[] names = EvalCommand.classNames(predictor);
            float[] image = new float[c * h * w];
            for (String name : images) {
                Path file = Path.of(name);
                if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(name);
                BufferedImage picture = ImageFiles.read(file);
                if (picture != null) {
                    predictor.input(picture, image);  // scaled and normalised as training images were
                    report(out, name, predictor.probabilities(image), names);
                    continue;
                }
                IdxFile idx = IdxFile.read(file);
                if (c != 1 || idx.rank() != 3 || idx.dim(1) != h || idx.dim(2) != w) {
                    throw new IOException(name + ": IDX images are " + java.util.Arrays.toString(idx.dims())
                            + " but the model takes " + in);
                }
                byte[] all = idx.bytes();
                for (int n = 0; n < idx.dim(0); n++) {
                    normalise(all, n * h * w, norm, 1, h * w, image);
                    report(out, name + "[" + n + "]", predictor.probabilities(image), names);
                }
            }
        }
        return 0;
    }

    private static void normalise(byte[] pixels, int from, PixelNormalization norm, int channels, int plane, float[] out) {
        for (int i = 0; i < channels * plane; i++) out[i] = norm.apply(i / plane, pixels[from + i] & 0xFF);
    }

    private static void report(PrintStream out, String name, float[] p, String[] names) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < Math.min(3, p.length); i++) {
            top.append(String.format("  %s %.1f%%", className(names, order[i]), 100 * p[order[i]]));
        }
        out.printf("%s: %s  (%s )%n", name, className(names, order[0]), top.toString().strip());
    }

    private static String className(String[] names, int c) {
        return c < names.length ? names[c] : "class " + c;
    }
}
