package org.panamacnn.cli;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.panamacnn.data.Dataset;
import org.panamacnn.data.IdxFile;
import org.panamacnn.data.ImageFiles;
import org.panamacnn.infer.Predictor;
import org.panamacnn.tensor.Shape;

/** {@code panama-cnn predict}: the class and probabilities of each image, from PNG (or other image) files or IDX image files. */
final class PredictCommand {
    static final String HELP = """
            usage: panama-cnn predict --model FILE IMAGE...

            Classifies images with a model saved by 'train --out'. An IMAGE is a PNG/JPEG/GIF/BMP
            file (converted to grey and scaled to the model's input size; Fashion-MNIST style:
            a light object on a dark background) or an IDX image file (raw or .gz), each of whose
            images is classified. Prints the most likely class and the top three probabilities.

              --model FILE    the saved model (safetensors)
              --help          this text
            """;

    static int run(List<String> argv, PrintStream out) throws IOException {
        List<String> options = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--help")) {
                out.print(HELP);
                return 0;
            }
            if (a.startsWith("--")) {
                options.add(a);
                if (!a.contains("=") && i + 1 < argv.size()) options.add(argv.get(++i));
            } else {
                images.add(a);
            }
        }
        Args args = new Args(options, java.util.Set.of("model"), java.util.Set.of());
        String modelFile = args.string("model", null);
        if (modelFile == null) throw new UsageException("predict needs --model FILE");
        if (images.isEmpty()) throw new UsageException("predict needs at least one IMAGE");
        try (Predictor predictor = Predictor.load(Path.of(modelFile))) {
            Shape in = predictor.inputShape();
            if (in.rank() != 3 || in.dim(0) != 1) {
                throw new IllegalArgumentException("predict handles single-channel image models; this one takes " + in);
            }
            int h = in.dim(1), w = in.dim(2);
            for (String name : images) {
                Path file = Path.of(name);
                if (!Files.isRegularFile(file)) throw new IOException(name + ": no such file");
                BufferedImage picture = ImageFiles.read(file);
                if (picture != null) {
                    report(out, name, predictor.probabilities(grey(picture, h, w)));
                    continue;
                }
                IdxFile idx = IdxFile.read(file);
                if (idx.rank() != 3 || idx.dim(1) != h || idx.dim(2) != w) {
                    throw new IOException(name + ": IDX images are " + java.util.Arrays.toString(idx.dims())
                            + " but the model takes " + h + "x" + w);
                }
                byte[] pixels = idx.bytes();
                float[] image = new float[h * w];
                for (int n = 0; n < idx.dim(0); n++) {
                    for (int i = 0; i < h * w; i++) image[i] = Dataset.normalize(pixels[n * h * w + i] & 0xFF);
                    report(out, name + "[" + n + "]", predictor.probabilities(image));
                }
            }
        }
        return 0;
    }

    /** The picture in grey, scaled to h×w, normalised like the training data. */
    private static float[] grey(BufferedImage picture, int h, int w) {
        BufferedImage g = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D gr = g.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        gr.drawImage(picture, 0, 0, w, h, null);
        gr.dispose();
        float[] image = new float[h * w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) image[y * w + x] = Dataset.normalize(g.getRaster().getSample(x, y, 0));
        return image;
    }

    private static void report(PrintStream out, String name, float[] p) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < Math.min(3, p.length); i++) {
            top.append(String.format("  %s %.1f%%", EvalCommand.className(order[i]), 100 * p[order[i]]));
        }
        out.printf("%s: %s  (%s )%n", name, EvalCommand.className(order[0]), top.toString().strip());
    }

    private PredictCommand() {}
}
