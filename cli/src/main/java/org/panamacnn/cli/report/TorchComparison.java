package org.panamacnn.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.io.Json;

/**
 * panama-cnn's training step against PyTorch's on the same architectures, as {@code bench}'s
 * models suite measures them: in rounds, each running panama-cnn's TrainBench and then the
 * PyTorch reference script (NCHW and channels_last) as separate programs, so that the two meet
 * the machine's drift alike. Kept beside the JMH results as {@code pytorch.json}.
 *
 * @param missing why PyTorch was not measured (one line), or "" when it was
 * @param torch PyTorch's version as the script reported it ("" when not measured)
 */
public record TorchComparison(String missing, String torch, List<Model> models) {
    public static final String FILE = "pytorch.json";

    /**
     * One model's rounds: images/s of each program in each round (steady-state training steps,
     * the median step of each run).
     */
    public record Model(String model, String shape, int batch, int threads, double[] panama, double[] torchNchw, double[] torchChannelsLast) {
        /** The faster of PyTorch's layouts by their medians over the rounds: "NCHW" or "channels_last". */
        public String torchLayout() {
            return median(torchChannelsLast) > median(torchNchw) ? "channels_last" : "NCHW";
        }

        /** PyTorch's images/s in its faster layout, the median over the rounds. */
        public double torchImagesPerSecond() {
            return Math.max(median(torchNchw), median(torchChannelsLast));
        }

        public double panamaImagesPerSecond() {
            return median(panama);
        }

        /** panama-cnn's images/s over PyTorch's (> 1: panama-cnn faster). */
        public double ratio() {
            return panamaImagesPerSecond() / torchImagesPerSecond();
        }

        /** The ratio's range over the rounds: panama-cnn's slowest against PyTorch's fastest, and the reverse (same layout). */
        public double low() {
            return min(panama) / max(torchLayout().equals("NCHW") ? torchNchw : torchChannelsLast);
        }

        public double high() {
            return max(panama) / min(torchLayout().equals("NCHW") ? torchNchw : torchChannelsLast);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Model m && m.model.equals(model) && m.shape.equals(shape) && m.batch == batch && m.threads == threads
                    && Arrays.equals(m.panama, panama) && Arrays.equals(m.torchNchw, torchNchw) && Arrays.equals(m.torchChannelsLast, torchChannelsLast);
        }

        @Override
        public int hashCode() {
            return model.hashCode() * 31 + Arrays.hashCode(panama);
        }

        @Override
        public String toString() {
            return "Model[" + model + " " + shape + " batch " + batch + " threads " + threads + " panama " + Arrays.toString(panama)
                    + " torch " + Arrays.toString(torchNchw) + " / " + Arrays.toString(torchChannelsLast) + "]";
        }
    }

    public TorchComparison {
        models = List.copyOf(models);
    }

    /** PyTorch was not measured, and why. */
    public static TorchComparison missing(String why) {
        return new TorchComparison(why, "", List.of());
    }

    static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    public void write(Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("missing", missing);
        m.put("torch", torch);
        List<Object> list = new ArrayList<>();
        for (Model r : models) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", r.model());
            o.put("shape", r.shape());
            o.put("batch", r.batch());
            o.put("threads", r.threads());
            o.put("panama", numbers(r.panama()));
            o.put("torchNchw", numbers(r.torchNchw()));
            o.put("torchChannelsLast", numbers(r.torchChannelsLast()));
            list.add(o);
        }
        m.put("models", list);
        Files.writeString(file, Json.write(m) + "\n");
    }

    private static List<Double> numbers(double[] v) {
        return Arrays.stream(v).boxed().toList();
    }

    /** Reads pytorch.json; names the file and the model of a missing or wrong field. */
    public static TorchComparison read(Path file) throws IOException {
        JsonFields f = new JsonFields(file.toString(), Json.parse(Files.readString(file)));
        List<Model> models = new ArrayList<>();
        List<?> list = f.list("models");
        for (int i = 0; i < list.size(); i++) {
            JsonFields r = new JsonFields(file + ", model " + (i + 1), list.get(i));
            Model m = new Model(r.text("model"), r.text("shape"), (int) r.number("batch"), (int) r.number("threads"), r.numbers("panama"),
                    r.numbers("torchNchw"), r.numbers("torchChannelsLast"));
            if (m.panama().length == 0 || m.torchNchw().length == 0 || m.torchChannelsLast().length == 0) {
                throw new IllegalArgumentException(file + ", model " + (i + 1) + " (" + m.model() + "): a program has no rounds");
            }
            models.add(m);
        }
        return new TorchComparison(f.text("missing"), f.text("torch"), models);
    }
}
