package org.panamacnn.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The report of a benchmark run: the machine, its measured FMA peak, each FLOP-counted kernel as a
 * share of that peak, each benchmark against the references measured in the same run, every
 * result as the median over forks with the spread (lowest to highest fork), and with the models
 * suite each model's training step against PyTorch's and where it goes ({@link ModelSections}). Written as report.md
 * (with the charts as SVG files beside it) and report.html (one file, the charts inline).
 */
public final class BenchReport {
    /** The FMA peak benchmark: FLOP/s per lane (times the lanes: FLOP/s of one core). */
    static final String PEAK = "PeakBenchmark.fmaChainsPerLane";
    static final String GEMM = "GemmBenchmark.multiply";

    /** What a reference implementation is called in the report, by its JMH "impl" value. */
    private static final Map<String, String> REFERENCE_NAMES = Map.of("openblas", "OpenBLAS", "ort", "ONNX Runtime", "oracle",
            "scalar oracle", "ejml", "EJML");

    /** A FLOP-counted result: GFLOP/s (median, slowest and fastest fork) and its share of the peak of its threads. */
    public record PeakRow(String label, double gflops, double low, double high, double percentOfPeak) {}

    /** panama-cnn against one reference on the same benchmark and parameters: speed ratios (> 1: panama-cnn faster). */
    public record ReferenceRow(String benchmark, String params, String reference, double ratio, double low, double high) {}

    private final Machine machine;
    private final String suite;
    private final List<JmhResult> results;
    private final List<LayerProfile> profiles;
    private final TorchComparison torch;

    public BenchReport(Machine machine, String suite, List<JmhResult> results) {
        this(machine, suite, results, List.of(), null);
    }

    /** {@code torch}: null when the run had no models suite (the report then has no PyTorch section). */
    public BenchReport(Machine machine, String suite, List<JmhResult> results, List<LayerProfile> profiles, TorchComparison torch) {
        this.machine = machine;
        this.suite = suite;
        this.results = List.copyOf(results);
        this.profiles = List.copyOf(profiles);
        this.torch = torch;
    }

    /** Whether a file name is one of a run's results: jmh-*.json, layers-*.json or pytorch.json. */
    public static boolean isResultFile(String name) {
        return name.matches("(jmh|layers)-.*\\.json") || name.equals(TorchComparison.FILE);
    }

    /** The report of a results directory: machine.json, every jmh-*.json and layers-*.json in it, and pytorch.json if there. */
    public static BenchReport read(Path dir, String suite) throws IOException {
        if (!Files.isDirectory(dir)) throw new java.nio.file.NoSuchFileException(dir.toString());
        List<Path> files, layers;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> all = s.sorted().toList();
            files = all.stream().filter(f -> f.getFileName().toString().matches("jmh-.*\\.json")).toList();
            layers = all.stream().filter(f -> f.getFileName().toString().matches("layers-.*\\.json")).toList();
        }
        if (files.isEmpty()) throw new IllegalArgumentException(dir + ": no JMH results (jmh-*.json) in it");
        List<JmhResult> all = new ArrayList<>();
        for (Path f : files) all.addAll(JmhResult.read(f));
        List<LayerProfile> profiles = new ArrayList<>();
        for (Path f : layers) profiles.add(LayerProfile.read(f));
        Path torch = dir.resolve(TorchComparison.FILE);
        return new BenchReport(Machine.read(dir.resolve("machine.json")), suite, all, profiles,
                Files.exists(torch) ? TorchComparison.read(torch) : null);
    }

    public List<LayerProfile> profiles() {
        return profiles;
    }

    /** PyTorch against panama-cnn, or null when the run had no models suite. */
    public TorchComparison torch() {
        return torch;
    }

    private ModelSections modelSections() {
        return new ModelSections(profiles, torch, peakGflops());
    }

    public List<JmhResult> results() {
        return results;
    }

    /** One core's FMA peak in GFLOP/s (median over forks), or NaN when the peak was not measured or the lanes are unknown. */
    public double peakGflops() {
        JmhResult p = peak();
        return p == null || machine.lanes() == 0 ? Double.NaN : p.perSecond(p.median()) * machine.lanes() / 1e9;
    }

    private JmhResult peak() {
        return results.stream().filter(r -> r.benchmark().equals(PEAK) && r.variant().isEmpty()).findFirst().orElse(null);
    }

    /** FLOPs of one operation of a FLOP-counted benchmark, or NaN: GEMM's 2·M·K·N. */
    static double flops(JmhResult r) {
        if (!r.benchmark().equals(GEMM) || !r.params().containsKey("shape")) return Double.NaN;
        String[] mkn = r.params().get("shape").split("x");
        if (mkn.length != 3) throw new IllegalArgumentException("GEMM shape '" + r.params().get("shape") + "' is not MxKxN");
        return 2.0 * Long.parseLong(mkn[0]) * Long.parseLong(mkn[1]) * Long.parseLong(mkn[2]);
    }

    /** Threads a result ran on: its "threads" parameter where the implementation uses it (EJML and the oracle run on one). */
    static int threads(JmhResult r) {
        String impl = r.params().getOrDefault("impl", "panama");
        if (impl.equals("ejml") || impl.equals("oracle")) return 1;
        return Integer.parseInt(r.params().getOrDefault("threads", "1"));
    }

    /** Each FLOP-counted result in GFLOP/s and as a share of the peak × its threads. */
    public List<PeakRow> againstPeak() {
        List<PeakRow> rows = new ArrayList<>();
        double peak = peakGflops();
        for (JmhResult r : results) {
            double f = flops(r);
            if (Double.isNaN(f)) continue;
            double g = r.perSecond(r.median()) * f / 1e9, a = r.perSecond(r.min()) * f / 1e9, b = r.perSecond(r.max()) * f / 1e9;
            rows.add(new PeakRow(label(r), g, Math.min(a, b), Math.max(a, b), 100 * g / (peak * threads(r))));
        }
        return rows;
    }

    /**
     * panama-cnn's results against every reference measured with the same benchmark and parameters:
     * the other implementations of an "impl" parameter (OpenBLAS, ONNX Runtime, the scalar oracle,
     * EJML), and the same benchmark run on the plain-Java kernels.
     */
    public List<ReferenceRow> againstReferences() {
        List<ReferenceRow> rows = new ArrayList<>();
        for (JmhResult ours : results) {
            if (!ours.variant().isEmpty() || !ours.params().getOrDefault("impl", "panama").equals("panama") || ours.benchmark().equals(PEAK)) {
                continue;
            }
            for (JmhResult ref : results) {
                if (ref == ours || !ref.benchmark().equals(ours.benchmark())) continue;
                String name = null;
                if (ref.variant().isEmpty() && !ref.params().getOrDefault("impl", "panama").equals("panama")
                        && sameExcept(ours, ref, "impl")) {
                    String impl = ref.params().get("impl");
                    name = REFERENCE_NAMES.getOrDefault(impl, impl);
                } else if (!ref.variant().isEmpty() && sameExcept(ours, ref, "")) {
                    name = "panama-cnn, " + ref.variant();
                }
                if (name == null) continue;
                double ratio = ours.perSecond(ours.median()) / ref.perSecond(ref.median());
                double oursSlow = Math.min(ours.perSecond(ours.min()), ours.perSecond(ours.max()));
                double oursFast = Math.max(ours.perSecond(ours.min()), ours.perSecond(ours.max()));
                double refSlow = Math.min(ref.perSecond(ref.min()), ref.perSecond(ref.max()));
                double refFast = Math.max(ref.perSecond(ref.min()), ref.perSecond(ref.max()));
                rows.add(new ReferenceRow(ours.benchmark(), ours.paramText("impl"), name, ratio, oursSlow / refFast, oursFast / refSlow));
            }
        }
        return rows;
    }

    private static boolean sameExcept(JmhResult a, JmhResult b, String key) {
        Map<String, String> x = new java.util.TreeMap<>(a.params()), y = new java.util.TreeMap<>(b.params());
        x.remove(key);
        y.remove(key);
        return x.equals(y);
    }

    /** "GemmBenchmark.multiply ..." as "Gemm.multiply ...": chart labels have less room than tables. */
    static String shortName(String label) {
        return label.replaceFirst("^(\\w+)Benchmark\\.", "$1.");
    }

    static String label(JmhResult r) {
        String p = r.paramText();
        return r.benchmark() + (p.isEmpty() ? "" : " " + p) + (r.variant().isEmpty() ? "" : " (" + r.variant() + ")");
    }

    public BarChart peakChart() {
        BarChart c = new BarChart("FLOP-counted kernels: % of the FMA peak of their threads", "% of peak (median over forks; whisker: slowest to fastest fork)", 100);
        double peak = peakGflops();
        if (Double.isNaN(peak)) return c;
        for (PeakRow r : againstPeak()) {
            String impl = r.label().contains("impl=panama") ? "panama" : "ref";
            c.bar(new BarChart.Bar(shortName(r.label()), r.percentOfPeak(), r.percentOfPeak() * r.low() / r.gflops(),
                    r.percentOfPeak() * r.high() / r.gflops(), String.format(Locale.ROOT, "%.0f%% (%.1f GF/s)", r.percentOfPeak(), r.gflops()),
                    impl.equals("panama") ? 0 : 1));
        }
        return c;
    }

    public BarChart referenceChart() {
        BarChart c = BarChart.logarithmic("panama-cnn against references measured in the same run",
                "speed ratio, logarithmic (> 1: panama-cnn faster; whisker: slowest to fastest forks)", 1);
        List<String> refs = againstReferences().stream().map(ReferenceRow::reference).distinct().toList();
        for (ReferenceRow r : againstReferences()) {
            c.bar(new BarChart.Bar(shortName(r.benchmark()) + (r.params().isEmpty() ? "" : " " + r.params()) + " vs " + r.reference(), r.ratio(), r.low(),
                    r.high(), String.format(Locale.ROOT, "%.2f×", r.ratio()), refs.indexOf(r.reference())));
        }
        return c;
    }

    private String summary() {
        double peak = peakGflops();
        return "Suite `" + suite + "` (`./panama-cnn bench --suite " + suite + "`), measured " + machine.date() + " on " + machine.cpu() + " (" + machine.cores() + " cores), JDK "
                + machine.jdk() + ", " + machine.os() + ". Kernels: " + machine.kernels() + ". FMA peak of one core: "
                + (Double.isNaN(peak) ? "not measured" : String.format(Locale.ROOT, "%.1f GFLOP/s", peak) + " (" + PEAK + " × "
                + machine.lanes() + " lanes)") + ".";
    }

    private static final String METHOD = "Each figure is the median over JMH forks of a fork's score (the mean of its measurement"
            + " iterations; in sample mode the median of its timed calls); the spread is the slowest to the fastest fork. Ratios"
            + " compare speeds measured in this run, one benchmark configuration after another.";

    /** The report as Markdown, with the charts as peak.svg and references.svg beside it. */
    public String markdown() {
        StringBuilder md = new StringBuilder("# panama-cnn benchmark report\n\n").append(summary()).append("\n\n").append(METHOD).append("\n\n");
        md.append("## Against the FMA peak\n\n");
        List<PeakRow> peakRows = againstPeak();
        if (peakRows.isEmpty() || Double.isNaN(peakGflops())) {
            md.append("No FLOP-counted kernel, or no peak, in this run.\n\n");
        } else {
            md.append("| benchmark | GFLOP/s | slowest–fastest fork | % of peak × threads |\n|---|---:|---:|---:|\n");
            for (PeakRow r : peakRows) {
                md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f–%.2f | %.1f%% |%n", r.label(), r.gflops(), r.low(), r.high(), r.percentOfPeak()));
            }
            md.append("\n![% of peak](peak.svg)\n\n");
        }
        md.append("## Against references measured in the same run\n\n");
        List<ReferenceRow> refRows = againstReferences();
        if (refRows.isEmpty()) {
            md.append("No reference in this run.\n\n");
        } else {
            md.append("| benchmark | parameters | reference | panama-cnn's speed / the reference's | range over forks |\n|---|---|---|---:|---:|\n");
            for (ReferenceRow r : refRows) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f× | %.2f–%.2f |%n", r.benchmark(), r.params(), r.reference(), r.ratio(),
                        r.low(), r.high()));
            }
            md.append("\n![against references](references.svg)\n\n");
        }
        md.append(modelSections().markdown());
        md.append("## Every result\n\n| benchmark | parameters | variant | mode | forks | median | slowest–fastest fork | unit |\n"
                + "|---|---|---|---|---:|---:|---:|---|\n");
        for (JmhResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %s–%s | %s |%n", r.benchmark(), r.paramText(), r.variant(),
                    r.mode(), r.forkScores().length, sig(r.median()), sig(r.min()), sig(r.max()), r.unit()));
        }
        return md.toString();
    }

    /** The report as one self-contained HTML page (XHTML-compatible, charts inline, no scripts or links to fetch). */
    public String html() {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                + "<title>panama-cnn benchmark report</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
                + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
                + "td.n{text-align:right}</style>\n</head>\n<body>\n<h1>panama-cnn benchmark report</h1>\n");
        h.append("<p>").append(BarChart.escape(summary().replace("`", ""))).append("</p>\n<p>").append(BarChart.escape(METHOD)).append("</p>\n");
        h.append("<h2>Against the FMA peak</h2>\n");
        List<PeakRow> peakRows = againstPeak();
        if (peakRows.isEmpty() || Double.isNaN(peakGflops())) {
            h.append("<p>No FLOP-counted kernel, or no peak, in this run.</p>\n");
        } else {
            h.append(peakChart().svg()).append("<table>\n<tr><th>benchmark</th><th>GFLOP/s</th><th>slowest–fastest fork</th><th>% of peak × threads</th></tr>\n");
            for (PeakRow r : peakRows) {
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td class=\"n\">%.2f</td><td class=\"n\">%.2f–%.2f</td><td class=\"n\">%.1f%%</td></tr>%n",
                        BarChart.escape(r.label()), r.gflops(), r.low(), r.high(), r.percentOfPeak()));
            }
            h.append("</table>\n");
        }
        h.append("<h2>Against references measured in the same run</h2>\n");
        List<ReferenceRow> refRows = againstReferences();
        if (refRows.isEmpty()) {
            h.append("<p>No reference in this run.</p>\n");
        } else {
            h.append(referenceChart().svg()).append("<table>\n<tr><th>benchmark</th><th>parameters</th><th>reference</th>"
                    + "<th>panama-cnn's speed / the reference's</th><th>range over forks</th></tr>\n");
            for (ReferenceRow r : refRows) {
                h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%.2f×</td><td class=\"n\">%.2f–%.2f</td></tr>%n",
                        BarChart.escape(r.benchmark()), BarChart.escape(r.params()), BarChart.escape(r.reference()), r.ratio(), r.low(), r.high()));
            }
            h.append("</table>\n");
        }
        h.append(modelSections().html());
        h.append("<h2>Every result</h2>\n<table>\n<tr><th>benchmark</th><th>parameters</th><th>variant</th><th>mode</th><th>forks</th>"
                + "<th>median</th><th>slowest–fastest fork</th><th>unit</th></tr>\n");
        for (JmhResult r : results) {
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%s</td>"
                    + "<td class=\"n\">%s–%s</td><td>%s</td></tr>%n", BarChart.escape(r.benchmark()), BarChart.escape(r.paramText()),
                    BarChart.escape(r.variant()), r.mode(), r.forkScores().length, sig(r.median()), sig(r.min()), sig(r.max()), BarChart.escape(r.unit())));
        }
        return h.append("</table>\n</body>\n</html>\n").toString();
    }

    /** Writes report.md, its charts (peak.svg, references.svg, pytorch.svg, layers-*.svg) and report.html into {@code dir}; returns the HTML file. */
    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), markdown());
        BarChart p = peakChart(), r = referenceChart();
        if (!p.isEmpty()) Files.writeString(dir.resolve("peak.svg"), p.svg());
        if (!r.isEmpty()) Files.writeString(dir.resolve("references.svg"), r.svg());
        for (Map.Entry<String, BarChart> c : modelSections().charts().entrySet()) Files.writeString(dir.resolve(c.getKey()), c.getValue().svg());
        Path html = dir.resolve("report.html");
        Files.writeString(html, html());
        return html;
    }

    /** Four significant digits, without an exponent for the usual sizes. */
    static String sig(double v) {
        if (!Double.isFinite(v)) return String.valueOf(v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BenchReport b && b.machine.equals(machine) && b.suite.equals(suite) && b.results.equals(results)
                && b.profiles.equals(profiles) && Objects.equals(b.torch, torch);
    }

    @Override
    public int hashCode() {
        return Objects.hash(machine, suite, results, profiles, torch);
    }
}
