package org.panamacnn.cli.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's sections on whole models: their training steps against PyTorch's
 * ({@link TorchComparison}) and where each step goes ({@link LayerProfile}), as Markdown, as HTML,
 * and their charts (pytorch.svg, and layers-MODEL.svg per model).
 */
final class ModelSections {
    private final List<LayerProfile> profiles;
    private final TorchComparison torch;
    private final double peakGflops;

    /** {@code torch} null: the run had no models suite; {@code peakGflops}: one core's, NaN when not measured. */
    ModelSections(List<LayerProfile> profiles, TorchComparison torch, double peakGflops) {
        this.profiles = profiles;
        this.torch = torch;
        this.peakGflops = peakGflops;
    }

    private static final String TORCH_METHOD = "Each round runs panama-cnn's TrainBench and then the PyTorch reference script"
            + " (torch_model_bench.py, with glibc's malloc thresholds raised) on the same architecture, as separate programs:"
            + " synthetic batches, softmax cross-entropy, SGD with momentum, the median of the steady-state steps of each run."
            + " PyTorch runs in NCHW and in channels_last; the faster layout (by its median over the rounds) is kept. Images/s"
            + " are medians over the rounds; the range pairs one program's slowest round with the other's fastest.";

    private static final String PROFILE_METHOD = "StepProfile runs each planned step of a training step (a fused step counts"
            + " as one) and times its forward and backward inside real steps, opening residual blocks and graphs: their"
            + " paths' steps, their own sums and merges, and a total row that includes its parts. Share: forward + backward"
            + " over the whole profiled step. GFLOP/s count 2·MACs for a convolution or dense layer's forward, and for its"
            + " backward the weight-gradient GEMM plus, where the input gradient is computed, the input-gradient GEMM; % of"
            + " peak is of the FMA peak × threads.";

    String markdown() {
        StringBuilder md = new StringBuilder();
        if (torch != null) {
            md.append("## Training steps against PyTorch\n\n");
            if (!torch.missing().isEmpty()) {
                md.append("PyTorch was not measured: ").append(torch.missing()).append(".\n\n");
            } else {
                md.append(TORCH_METHOD).append(" PyTorch ").append(torch.torch()).append(".\n\n");
                md.append("| model | input | batch | threads | rounds | panama-cnn images/s | PyTorch images/s | PyTorch layout | panama-cnn / PyTorch | range over rounds |\n"
                        + "|---|---|---:|---:|---:|---:|---:|---|---:|---:|\n");
                for (TorchComparison.Model m : torch.models()) {
                    md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %,.0f | %,.0f | %s | %.2f× | %.2f–%.2f |%n", m.model(), m.shape(),
                            m.batch(), m.threads(), m.panama().length, m.panamaImagesPerSecond(), m.torchImagesPerSecond(), m.torchLayout(), m.ratio(),
                            m.low(), m.high()));
                }
                md.append("\n![against PyTorch](pytorch.svg)\n\n");
            }
        }
        if (!profiles.isEmpty()) md.append("## Where a training step goes\n\n").append(PROFILE_METHOD).append("\n\n");
        for (LayerProfile p : profiles) {
            md.append("### ").append(p.model()).append("\n\n").append(profileSummary(p)).append("\n\n");
            md.append("| step | what | forward µs | backward µs | share of step | forward GFLOP/s | backward GFLOP/s | % of peak (fwd / bwd) |\n"
                    + "|---|---|---:|---:|---:|---:|---:|---:|\n");
            for (LayerProfile.Row r : p.rows()) {
                md.append(String.format(Locale.ROOT, "| %s%s | %s | %.1f | %.1f | %.1f%% | %s | %s | %s |%n", "· ".repeat(r.depth()), r.path(),
                        r.description().replace("|", "\\|"), r.forwardMicros(), r.backwardMicros(), p.percentOfStep(r), gflops(r.forwardGflops()),
                        gflops(r.backwardGflops()), ofPeak(r, p.threads())));
            }
            md.append("\n![where a step of ").append(p.model()).append(" goes](").append(chartFile(p)).append(")\n\n");
        }
        return md.toString();
    }

    String html() {
        StringBuilder h = new StringBuilder();
        if (torch != null) {
            h.append("<h2>Training steps against PyTorch</h2>\n");
            if (!torch.missing().isEmpty()) {
                h.append("<p>PyTorch was not measured: ").append(BarChart.escape(torch.missing())).append(".</p>\n");
            } else {
                h.append("<p>").append(BarChart.escape(TORCH_METHOD + " PyTorch " + torch.torch() + ".")).append("</p>\n");
                h.append(torchChart().svg()).append("<table>\n<tr><th>model</th><th>input</th><th>batch</th><th>threads</th><th>rounds</th>"
                        + "<th>panama-cnn images/s</th><th>PyTorch images/s</th><th>PyTorch layout</th><th>panama-cnn / PyTorch</th>"
                        + "<th>range over rounds</th></tr>\n");
                for (TorchComparison.Model m : torch.models()) {
                    h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
                                    + "<td class=\"n\">%,.0f</td><td class=\"n\">%,.0f</td><td>%s</td><td class=\"n\">%.2f×</td><td class=\"n\">%.2f–%.2f</td></tr>%n",
                            BarChart.escape(m.model()), m.shape(), m.batch(), m.threads(), m.panama().length, m.panamaImagesPerSecond(),
                            m.torchImagesPerSecond(), m.torchLayout(), m.ratio(), m.low(), m.high()));
                }
                h.append("</table>\n");
            }
        }
        if (!profiles.isEmpty()) h.append("<h2>Where a training step goes</h2>\n<p>").append(BarChart.escape(PROFILE_METHOD)).append("</p>\n");
        for (LayerProfile p : profiles) {
            h.append("<h3>").append(BarChart.escape(p.model())).append("</h3>\n<p>").append(BarChart.escape(profileSummary(p))).append("</p>\n");
            h.append(profileChart(p).svg());
            h.append("<table>\n<tr><th>step</th><th>what</th><th>forward µs</th><th>backward µs</th><th>share of step</th>"
                    + "<th>forward GFLOP/s</th><th>backward GFLOP/s</th><th>% of peak (fwd / bwd)</th></tr>\n");
            for (LayerProfile.Row r : p.rows()) {
                h.append(String.format(Locale.ROOT, "<tr><td>%s%s</td><td>%s</td><td class=\"n\">%.1f</td><td class=\"n\">%.1f</td><td class=\"n\">%.1f%%</td>"
                                + "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>%n", "· ".repeat(r.depth()),
                        BarChart.escape(r.path()), BarChart.escape(r.description()), r.forwardMicros(), r.backwardMicros(), p.percentOfStep(r),
                        gflops(r.forwardGflops()), gflops(r.backwardGflops()), ofPeak(r, p.threads())));
            }
            h.append("</table>\n");
        }
        return h.toString();
    }

    /** The charts by file name: pytorch.svg when PyTorch was measured, and one per profiled model. */
    Map<String, BarChart> charts() {
        Map<String, BarChart> charts = new LinkedHashMap<>();
        if (torch != null && !torch.models().isEmpty()) charts.put("pytorch.svg", torchChart());
        for (LayerProfile p : profiles) charts.put(chartFile(p), profileChart(p));
        return charts;
    }

    static String chartFile(LayerProfile p) {
        return LayerProfile.fileName(p.model()).replaceFirst("\\.json$", ".svg");
    }

    BarChart torchChart() {
        BarChart c = BarChart.logarithmic("Training step: panama-cnn's images/s over PyTorch's", "ratio, logarithmic (> 1: panama-cnn faster;"
                + " whisker: the range over rounds)", 1);
        for (TorchComparison.Model m : torch.models()) {
            c.bar(new BarChart.Bar(m.model() + " " + m.shape() + " batch " + m.batch(), m.ratio(), m.low(), m.high(),
                    String.format(Locale.ROOT, "%.2f×", m.ratio()), 0));
        }
        return c;
    }

    /**
     * Every row but the blocks' totals (their parts are bars), as a share of the step: convolutions
     * and dense layers, other steps, the blocks' merges, the loss and update in four colours.
     */
    static BarChart profileChart(LayerProfile p) {
        BarChart c = new BarChart(p.model() + " " + p.shape() + ", batch " + p.batch() + ", " + p.threads() + " threads: where a training step goes",
                "% of the step (forward + backward)", Double.NaN);
        for (LayerProfile.Row r : p.rows()) {
            if (r.kind() == LayerProfile.Kind.BLOCK) continue;
            String what = r.description().length() > 44 ? r.description().substring(0, 43) + "…" : r.description();
            int group = switch (r.kind()) {
                case STEP -> r.forwardFlops() > 0 ? 0 : 1;
                case MERGE -> 2;
                default -> 3;
            };
            c.bar(new BarChart.Bar(r.path() + " " + what, p.percentOfStep(r), Double.NaN, Double.NaN,
                    String.format(Locale.ROOT, "%.1f%% (%,.0f µs)", p.percentOfStep(r), r.micros()), group));
        }
        return c;
    }

    private static String profileSummary(LayerProfile p) {
        return String.format(Locale.ROOT, "Input %s, batch %d, %d threads, median of %d profiled steps; kernels: %s. The profiled step:"
                        + " %,.0f µs; the same step as the model runs it (alternating with the profiled ones): %,.0f µs.", p.shape(), p.batch(),
                p.threads(), p.steps(), p.kernels(), p.stepMicros(), p.plainStepMicros());
    }

    private static String gflops(double g) {
        return Double.isNaN(g) ? "" : String.format(Locale.ROOT, "%.1f", g);
    }

    private String ofPeak(LayerProfile.Row r, int threads) {
        if (Double.isNaN(peakGflops) || r.forwardFlops() == 0) return "";
        double all = peakGflops * threads;
        return String.format(Locale.ROOT, "%.0f%% / %.0f%%", 100 * r.forwardGflops() / all, 100 * r.backwardGflops() / all);
    }
}
