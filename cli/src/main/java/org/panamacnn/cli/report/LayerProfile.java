package org.panamacnn.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.io.Json;

/**
 * Where one training step of a model goes, step by step (the bench module's StepProfile measures
 * it; the report draws it): the median microseconds of each planned step's forward and backward
 * inside real training steps, descending into residual blocks and graphs, with the blocks' own
 * merge costs and their totals. Kept beside the JMH results as {@code layers-MODEL.json}.
 *
 * @param model the model definition or file profiled (its file name)
 * @param shape the per-image input shape, e.g. "1x28x28"
 * @param rows in the order the steps run forward, a block's total before its parts
 * @param stepMicros the median of whole profiled steps (forward, loss, backward, update)
 * @param plainStepMicros the median of the same steps run by the model itself, unprofiled, alternating
 *                        with the profiled ones (the difference is the profiler's own cost)
 */
public record LayerProfile(String model, String shape, int batch, int threads, int steps, String kernels, List<Row> rows,
                           double stepMicros, double plainStepMicros) {
    /** What a row is: a planned step, a block's own merge work, a block's total, the loss, the optimizer's update. */
    public enum Kind { STEP, MERGE, BLOCK, LOSS, UPDATE }

    /**
     * One row.
     *
     * @param path where it is, named as the model's tensors are ("3.main.0", "b1"); a fused step by its first layer
     * @param depth how many blocks it is inside (0: a step of the model itself)
     * @param forwardFlops floating-point operations of the forward, 2·MACs of its convolution or dense
     *                     layer (0 for other steps)
     * @param backwardFlops the same for the backward: the weight-gradient GEMM and, where the input
     *                      gradient is computed, the input-gradient GEMM
     */
    public record Row(String path, int depth, Kind kind, String description, double forwardMicros, double backwardMicros,
                      double forwardFlops, double backwardFlops) {
        public double micros() {
            return forwardMicros + backwardMicros;
        }

        /** GFLOP/s of the forward or backward, NaN for a step without counted FLOPs. */
        public double forwardGflops() {
            return forwardFlops > 0 && forwardMicros > 0 ? forwardFlops / forwardMicros / 1e3 : Double.NaN;
        }

        public double backwardGflops() {
            return backwardFlops > 0 && backwardMicros > 0 ? backwardFlops / backwardMicros / 1e3 : Double.NaN;
        }
    }

    public LayerProfile {
        rows = List.copyOf(rows);
    }

    /** A row's share of the profiled step, in percent. */
    public double percentOfStep(Row r) {
        return 100 * r.micros() / stepMicros;
    }

    /** The file name a model's profile is kept under: layers-NAME.json (NAME without its extension). */
    public static String fileName(String model) {
        return "layers-" + model.replaceFirst("\\.[A-Za-z]+$", "").replaceAll("[^A-Za-z0-9_.-]", "_") + ".json";
    }

    public void write(Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("shape", shape);
        m.put("batch", batch);
        m.put("threads", threads);
        m.put("steps", steps);
        m.put("kernels", kernels);
        m.put("stepMicros", stepMicros);
        m.put("plainStepMicros", plainStepMicros);
        List<Object> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("path", r.path());
            o.put("depth", r.depth());
            o.put("kind", r.kind().name().toLowerCase(java.util.Locale.ROOT));
            o.put("description", r.description());
            o.put("forwardMicros", r.forwardMicros());
            o.put("backwardMicros", r.backwardMicros());
            o.put("forwardFlops", r.forwardFlops());
            o.put("backwardFlops", r.backwardFlops());
            list.add(o);
        }
        m.put("rows", list);
        Files.writeString(file, Json.write(m) + "\n");
    }

    /** Reads a profile written by {@link #write}; names the file, and the row, of a missing or wrong field. */
    public static LayerProfile read(Path file) throws IOException {
        JsonFields f = new JsonFields(file.toString(), Json.parse(Files.readString(file)));
        List<Row> rows = new ArrayList<>();
        List<?> list = f.list("rows");
        for (int i = 0; i < list.size(); i++) {
            JsonFields r = new JsonFields(file + ", row " + (i + 1), list.get(i));
            Kind kind;
            try {
                kind = Kind.valueOf(r.text("kind").toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ", row " + (i + 1) + ": unknown kind '" + r.text("kind") + "'");
            }
            rows.add(new Row(r.text("path"), (int) r.number("depth"), kind, r.text("description"), r.number("forwardMicros"),
                    r.number("backwardMicros"), r.number("forwardFlops"), r.number("backwardFlops")));
        }
        return new LayerProfile(f.text("model"), f.text("shape"), (int) f.number("batch"), (int) f.number("threads"), (int) f.number("steps"),
                f.text("kernels"), rows, f.number("stepMicros"), f.number("plainStepMicros"));
    }
}
