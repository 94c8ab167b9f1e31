package org.panamacnn.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.io.Json;
import org.panamacnn.nn.Layer;
import org.panamacnn.nn.Sequential;
import org.panamacnn.tensor.Shape;

/**
 * "--resume means the same run": the settings that shape a run are kept in every checkpoint's
 * metadata (as "run.*" keys), and a resume whose settings differ is refused with every difference
 * named — or, with --override, goes on and records what changed in the files it writes. An
 * identical resume ends with exactly the model the uninterrupted run gives; a silently different
 * one would not, and nobody would know.
 */
final class ResumeCheck {
    private ResumeCheck() {}

    /** The settings of this run, by the option that sets them, as the checkpoint metadata keeps them. */
    static Map<String, String> settings(int batch, float lr, String schedule, int warmup, List<String> freeze) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("run.batch", String.valueOf(batch));
        s.put("run.lr", String.valueOf(lr));
        s.put("run.schedule", schedule);
        s.put("run.warmup", String.valueOf(warmup));
        s.put("run.freeze", String.join(",", freeze));
        return s;
    }

    /** The architecture as its layer specs: what the model file keeps, compared line for line. */
    static String architecture(Sequential model) {
        List<Object> specs = new ArrayList<>();
        for (Layer l : model.layers()) specs.add(l.spec());
        return Json.write(specs);
    }

    /**
     * The differences between the checkpoint's run and this one, one phrase each ("--batch: 64 in
     * the checkpoint, 128 now"). Keys a checkpoint lacks (older files) are not compared.
     */
    static List<String> differences(Map<String, String> checkpoint, Map<String, String> now) {
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, String> e : now.entrySet()) {
            String was = checkpoint.get(e.getKey());
            if (was != null && !was.equals(e.getValue())) {
                diffs.add("--" + e.getKey().substring("run.".length()) + ": " + shown(was) + " in the checkpoint, " + shown(e.getValue()) + " now");
            }
        }
        return diffs;
    }

    /** A setting as a message shows it: an empty one (nothing frozen) as "none". */
    private static String shown(String value) {
        return value.isEmpty() ? "none" : value;
    }

    /**
     * Compares a restored checkpoint with this run: its settings, the architecture asked for with
     * --model-def / --init (when given), and the data's shape. Returns the metadata to add to what
     * the run writes (the overridden differences, if any).
     *
     * @param requested the model --model-def or --init describes, or null when neither is given
     */
    static Map<String, String> check(String checkpoint, Map<String, String> saved, Sequential restored, Map<String, String> now,
                                     String requestedBy, Sequential requested, Shape input, int classes, boolean override,
                                     PrintStream out) {
        if (!restored.inputShape().equals(input) || !restored.outputShape().equals(Shape.of(classes))) {
            // not a setting: training cannot go on at all
            throw new UsageException("--resume " + checkpoint + ": its model takes " + restored.inputShape() + " images and gives "
                    + restored.outputShape() + " outputs, but the data has " + input + " images of " + classes + " classes");
        }
        List<String> diffs = differences(saved, now);
        if (requested != null && !architecture(requested).equals(architecture(restored))) {
            diffs.add(requestedBy + ": another architecture than the checkpoint's (" + restored.layers().size() + " layers, "
                    + restored.parameterCount() + " parameters; asked for " + requested.layers().size() + " layers, "
                    + requested.parameterCount() + " parameters)");
        }
        String overridden = require(checkpoint, diffs, override, out);
        return overridden == null ? Map.of() : Map.of("resume_overrides", overridden);
    }

    /**
     * Refuses the resume when anything differs, unless overridden: then prints each difference
     * and returns them as one metadata value to record (null when nothing differs).
     */
    static String require(String checkpoint, List<String> diffs, boolean override, PrintStream out) {
        if (diffs.isEmpty()) return null;
        String list = String.join("; ", diffs);
        if (!override) {
            throw new UsageException("--resume " + checkpoint + " is another run: " + list
                    + ". Resume with the same options, or add --override to continue with these changes");
        }
        out.println("resuming " + checkpoint + " with changes (--override): " + list);
        return list;
    }
}
