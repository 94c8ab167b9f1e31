package org.panamacnn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.panamacnn.io.Json;
import org.panamacnn.train.EpochStats;

/**
 * The loss and accuracy of a training run per epoch, for train and test data, drawn as one
 * self-contained SVG picture (two charts side by side) or an HTML page holding it. Reads the
 * metrics files {@code train --metrics} writes (CSV or JSON).
 */
final class TrainingCurves {
    /** One epoch's figures; a test value is NaN when the run had no test data. */
    record Point(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy) {}

    private final List<Point> points;

    TrainingCurves(List<Point> points) {
        if (points.isEmpty()) throw new IllegalArgumentException("no epochs to plot");
        this.points = List.copyOf(points);
    }

    static TrainingCurves of(List<EpochStats> epochs) {
        List<Point> p = new ArrayList<>();
        for (EpochStats s : epochs) {
            p.add(new Point(s.epoch(), s.trainLoss(), s.trainAccuracy(), s.validationLoss(), s.validationAccuracy()));
        }
        return new TrainingCurves(p);
    }

    /** Reads a metrics file: CSV with a header line when its name ends in .csv, else a JSON array of objects. */
    static TrainingCurves read(Path file) throws IOException {
        String text = Files.readString(file);
        List<Point> p = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? fromCsv(file, text)
                : fromJson(file, text);
        if (p.isEmpty()) throw new IllegalArgumentException(file + ": no epochs in the metrics file");
        return new TrainingCurves(p);
    }

    private static List<Point> fromCsv(Path file, String text) {
        String[] lines = text.strip().split("\r?\n");
        List<String> header = List.of(lines[0].strip().split(","));
        int[] col = new int[5];
        String[] names = {"epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy"};
        for (int i = 0; i < names.length; i++) {
            col[i] = header.indexOf(names[i]);
            if (col[i] < 0) throw new IllegalArgumentException(file + ": no column '" + names[i] + "' in the header line");
        }
        List<Point> points = new ArrayList<>();
        for (int n = 1; n < lines.length; n++) {
            String[] f = lines[n].split(",", -1);
            try {
                points.add(new Point(Integer.parseInt(f[col[0]].strip()), number(f[col[1]]), number(f[col[2]]),
                        number(f[col[3]]), number(f[col[4]])));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException(file + ": line " + (n + 1) + " is not a row of numbers: " + lines[n]);
            }
        }
        return points;
    }

    private static double number(String s) {
        String t = s.strip();
        return t.isEmpty() || t.equals("NaN") ? Double.NaN : Double.parseDouble(t);
    }

    private static List<Point> fromJson(Path file, String text) {
        if (!(Json.parse(text) instanceof List<?> rows)) throw new IllegalArgumentException(file + ": not a JSON array of epochs");
        List<Point> points = new ArrayList<>();
        for (Object row : rows) {
            if (!(row instanceof Map<?, ?> m)) throw new IllegalArgumentException(file + ": an epoch is not a JSON object");
            points.add(new Point((int) value(file, m, "epoch"), value(file, m, "train_loss"), value(file, m, "train_accuracy"),
                    value(file, m, "test_loss"), value(file, m, "test_accuracy")));
        }
        return points;
    }

    private static double value(Path file, Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null && m.containsKey(key)) return Double.NaN;  // no test data
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(file + ": epoch entry without a number '" + key + "'");
    }

    List<Point> points() {
        return points;
    }

    /** The two charts as one SVG document. */
    String svg() {
        LineChart loss = new LineChart("loss", "Loss", "epoch", "cross-entropy");
        LineChart accuracy = new LineChart("accuracy", "Accuracy", "epoch", "%");
        double[] x = new double[points.size()], trainLoss = new double[x.length], testLoss = new double[x.length],
                trainAcc = new double[x.length], testAcc = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            Point p = points.get(i);
            x[i] = p.epoch();
            trainLoss[i] = p.trainLoss();
            testLoss[i] = p.testLoss();
            trainAcc[i] = 100 * p.trainAccuracy();
            testAcc[i] = 100 * p.testAccuracy();
        }
        loss.series("train", x, trainLoss).series("test", x, testLoss);
        accuracy.series("train", x, trainAcc).series("test", x, testAcc);
        return LineChart.document(List.of(loss, accuracy));
    }

    /** An HTML page holding the SVG: opens offline, no scripts. */
    String html() {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Training curves</title>
                <style>body { font-family: sans-serif; margin: 2em; }</style></head>
                <body><h1>Training curves</h1>
                """ + svg() + "</body></html>\n";
    }

    /** Writes the SVG, or the HTML page when the name ends in .html / .htm; atomically. */
    void write(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = name.endsWith(".html") || name.endsWith(".htm") ? html() : svg();
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The picture's default name: the metrics file's with .svg in place of its extension. */
    static Path svgNextTo(Path metrics) {
        String name = metrics.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path svg = metrics.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".svg");
        return svg.equals(metrics) ? metrics.resolveSibling(name + ".curves.svg") : svg;  // never the metrics file itself
    }
}
