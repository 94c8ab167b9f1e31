package org.panamacnn.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.panamacnn.io.Json;

/**
 * One benchmark configuration of a JMH JSON result file, reduced to one score per fork: the mean
 * of its measurement iterations, or in sample mode the median of its timed calls. The report
 * gives the median of these and their range, so one slow fork (the host was busy) shows as spread
 * instead of moving the figure.
 *
 * @param benchmark the class's simple name and the method, e.g. "GemmBenchmark.multiply"
 * @param params JMH parameters by name (sorted)
 * @param variant "scalar kernels" for a run with -Dpanamacnn.kernels=scalar, else ""
 * @param unit JMH's score unit, e.g. "ms/op" or "ops/s"
 * @param forkScores one score per fork, in the unit
 */
public record JmhResult(String benchmark, Map<String, String> params, String variant, String mode, String unit, double[] forkScores) {
    /** The JVM flag that makes a run the plain-Java (scalar) kernels' reference. */
    public static final String SCALAR_FLAG = "-Dpanamacnn.kernels=scalar";

    public double median() {
        double[] s = forkScores.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public double min() {
        return Arrays.stream(forkScores).min().orElse(Double.NaN);
    }

    public double max() {
        return Arrays.stream(forkScores).max().orElse(Double.NaN);
    }

    /** Whether the score is a time per operation (lower is faster) rather than a rate. */
    public boolean timed() {
        return unit.endsWith("/op");
    }

    /** Operations per second for a score in this result's unit. */
    public double perSecond(double score) {
        if (!timed()) return score * perSecondOf(unit.substring(unit.indexOf('/') + 1));
        return perSecondOf(unit.substring(0, unit.indexOf('/'))) / score;
    }

    /** How many of {@code timeUnit} make a second ("ms" → 1000). */
    private static double perSecondOf(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1e9;
            case "us" -> 1e6;
            case "ms" -> 1e3;
            case "s" -> 1;
            case "min" -> 1 / 60.0;
            case "hr" -> 1 / 3600.0;
            case "day" -> 1 / 86400.0;
            default -> throw new IllegalArgumentException("unknown JMH time unit '" + timeUnit + "'");
        };
    }

    /** The parameters as "k=v k=v", leaving out those named. */
    public String paramText(String... without) {
        List<String> skip = List.of(without);
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (skip.contains(e.getKey())) continue;
            if (b.length() > 0) b.append(' ');
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    /** Every configuration in a JMH JSON result file ({@code -rf json}); names the file and the entry when it is not one. */
    public static List<JmhResult> read(Path file) throws IOException {
        Object root = Json.parse(Files.readString(file));
        if (!(root instanceof List<?> entries)) throw new IllegalArgumentException(file + ": not a JMH JSON result (an array)");
        List<JmhResult> results = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = file + ", entry " + (i + 1);
            if (!(entries.get(i) instanceof Map<?, ?> e)) throw new IllegalArgumentException(where + ": not an object");
            String name = text(e, "benchmark", where);
            String[] parts = name.split("\\.");
            String benchmark = parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : name;
            Map<String, String> params = new TreeMap<>();
            if (e.get("params") instanceof Map<?, ?> p) for (Map.Entry<?, ?> pe : p.entrySet()) params.put(String.valueOf(pe.getKey()), String.valueOf(pe.getValue()));
            boolean scalar = e.get("jvmArgs") instanceof List<?> args && args.contains(SCALAR_FLAG);
            if (!(e.get("primaryMetric") instanceof Map<?, ?> metric)) throw new IllegalArgumentException(where + ": no primaryMetric");
            String mode = text(e, "mode", where);
            double[] forks = mode.equals("sample") ? sampleForks(metric, where) : iterationForks(metric, where);
            if (forks.length == 0) throw new IllegalArgumentException(where + ": no measurements");
            results.add(new JmhResult(benchmark, params, scalar ? "scalar kernels" : "", mode, text(metric, "scoreUnit", where), forks));
        }
        return results;
    }

    /** rawData: forks × iterations; a fork's score is the mean of its iterations. */
    private static double[] iterationForks(Map<?, ?> metric, String where) {
        if (!(metric.get("rawData") instanceof List<?> forks)) throw new IllegalArgumentException(where + ": no rawData");
        double[] scores = new double[forks.size()];
        for (int f = 0; f < forks.size(); f++) {
            if (!(forks.get(f) instanceof List<?> its) || its.isEmpty()) throw new IllegalArgumentException(where + ": fork " + (f + 1) + " has no iterations");
            double sum = 0;
            for (Object v : its) sum += number(v, where);
            scores[f] = sum / its.size();
        }
        return scores;
    }

    /** rawDataHistogram: forks × iterations × [value, count]; a fork's score is the median of its calls. */
    private static double[] sampleForks(Map<?, ?> metric, String where) {
        if (!(metric.get("rawDataHistogram") instanceof List<?> forks)) throw new IllegalArgumentException(where + ": no rawDataHistogram");
        double[] scores = new double[forks.size()];
        for (int f = 0; f < forks.size(); f++) {
            TreeMap<Double, Long> counts = new TreeMap<>();
            long total = 0;
            if (!(forks.get(f) instanceof List<?> its)) throw new IllegalArgumentException(where + ": fork " + (f + 1) + " is not a list");
            for (Object it : its) {
                if (!(it instanceof List<?> pairs)) throw new IllegalArgumentException(where + ": fork " + (f + 1) + " has a bad iteration");
                for (Object pair : pairs) {
                    if (!(pair instanceof List<?> vc) || vc.size() != 2) throw new IllegalArgumentException(where + ": a histogram entry is not [value, count]");
                    long c = (long) number(vc.get(1), where);
                    counts.merge(number(vc.get(0), where), c, Long::sum);
                    total += c;
                }
            }
            if (total == 0) throw new IllegalArgumentException(where + ": fork " + (f + 1) + " has no samples");
            long seen = 0, half = (total + 1) / 2;
            for (Map.Entry<Double, Long> c : counts.entrySet()) {
                seen += c.getValue();
                if (seen >= half) {
                    scores[f] = c.getKey();
                    break;
                }
            }
        }
        return scores;
    }

    private static String text(Map<?, ?> m, String key, String where) {
        if (m.get(key) instanceof String s) return s;
        throw new IllegalArgumentException(where + ": \"" + key + "\" is missing or not text");
    }

    private static double number(Object v, String where) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof String s && s.equals("NaN")) return Double.NaN;
        throw new IllegalArgumentException(where + ": " + v + " is not a number");
    }
}
