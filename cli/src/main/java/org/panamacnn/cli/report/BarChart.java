package org.panamacnn.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart written as plain SVG: one bar per row with its value written beside it,
 * a whisker over the row's spread (lowest to highest fork), and an optional dashed reference line
 * (100% of peak, or 1× a reference). On a linear scale bars start at 0; on a logarithmic scale
 * (for ratios, where 0.5× and 2× are as far from 1×) they start at the reference line. No scripts or fonts fetched, so it opens offline. Elements
 * carry classes ({@code bar}, {@code spread}, {@code reference}, {@code label}) and
 * {@code data-value}s, so tests and style sheets can find them.
 */
public final class BarChart {
    /** Plot and value-text widths; the label column is as wide as the longest label needs (7 px a character, up to 600). */
    private static final int PLOT = 440, VALUE = 90, ROW = 22, TOP = 44, BOTTOM = 34, CHAR = 7, MAX_LABEL = 600;
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"};

    /** One bar: its label, value and spread, the text written beside it, and its colour group. */
    public record Bar(String label, double value, double low, double high, String text, int group) {}

    private final String title, axis;
    private final double reference;
    private final boolean log;
    private final List<Bar> bars = new ArrayList<>();

    /** A linear scale from 0; {@code reference}: where to draw the dashed line (NaN for none). */
    public BarChart(String title, String axis, double reference) {
        this(title, axis, reference, false);
    }

    private BarChart(String title, String axis, double reference, boolean log) {
        this.title = title;
        this.axis = axis;
        this.reference = reference;
        this.log = log;
    }

    /** A logarithmic scale whose bars start at {@code reference} (e.g. ratios against 1). */
    public static BarChart logarithmic(String title, String axis, double reference) {
        if (!(reference > 0)) throw new IllegalArgumentException("a logarithmic chart needs a positive reference, got " + reference);
        return new BarChart(title, axis, reference, true);
    }

    public BarChart bar(Bar b) {
        if (!Double.isFinite(b.value()) || b.value() < 0 || log && b.value() <= 0) throw new IllegalArgumentException(b.label() + ": bar value " + b.value());
        bars.add(b);
        return this;
    }

    public boolean isEmpty() {
        return bars.isEmpty();
    }

    /** The chart as a standalone SVG document. */
    public String svg() {
        Scale scale = log ? logScale() : linearScale();
        int longest = bars.stream().mapToInt(b -> b.label().length()).max().orElse(0);
        int left = Math.min(MAX_LABEL, 16 + CHAR * longest), width = left + PLOT + VALUE, plotW = PLOT;
        int height = TOP + ROW * bars.size() + BOTTOM, bottom = TOP + ROW * bars.size();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", width, height, width, height));
        sb.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        sb.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">%s</text>%n",
                width / 2, escape(title)));
        for (double v : scale.ticks()) {
            double x = left + plotW * scale.at(v);
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP - 4, x, bottom, x, bottom + 14, number(v)));
        }
        sb.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                left + plotW / 2, bottom + 28, escape(axis)));
        double origin = left + plotW * scale.at(log ? reference : 0);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = TOP + i * ROW;
            double end = left + plotW * scale.at(b.value()), right = end;
            String colour = COLOURS[Math.floorMod(b.group(), COLOURS.length)];
            sb.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", left - 6, y + 15,
                    escape(b.label())));
            sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-value=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    b.value(), Math.min(origin, end), y + 3, Math.abs(end - origin), ROW - 6, colour));
            if (Double.isFinite(b.low()) && Double.isFinite(b.high()) && b.high() > b.low() && (!log || b.low() > 0)) {
                double x1 = left + plotW * scale.at(Math.max(scale.min(), b.low())), x2 = left + plotW * scale.at(b.high());
                right = Math.max(right, x2);
                sb.append(String.format(Locale.ROOT, "<path class=\"spread\" data-low=\"%s\" data-high=\"%s\" d=\"M%.1f %d V%d M%.1f %d H%.1f M%.1f %d V%d\""
                        + " stroke=\"black\" fill=\"none\"/>%n", b.low(), b.high(), x1, y + 6, y + ROW - 6, x1, y + ROW / 2, x2, x2, y + 6, y + ROW - 6));
            }
            sb.append(String.format(Locale.ROOT, "<text class=\"value\" x=\"%.1f\" y=\"%d\">%s</text>%n", Math.max(right, origin) + 4, y + 15,
                    escape(b.text())));
        }
        if (Double.isFinite(reference)) {
            double x = left + plotW * scale.at(reference);
            sb.append(String.format(Locale.ROOT, "<line class=\"reference\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\""
                    + " stroke-dasharray=\"4 3\"/>%n", x, TOP - 4, x, bottom));
        }
        return sb.append("</svg>\n").toString();
    }

    /** Where values fall across the plot (0 at its left, 1 at its right), and the grid values. */
    record Scale(double min, double max, boolean log, List<Double> ticks) {
        double at(double v) {
            return log ? (Math.log(v) - Math.log(min)) / (Math.log(max) - Math.log(min)) : (v - min) / (max - min);
        }
    }

    private Scale linearScale() {
        double max = Double.isFinite(reference) ? reference : 0;
        for (Bar b : bars) max = Math.max(max, Math.max(b.value(), Double.isFinite(b.high()) ? b.high() : 0));
        double top = niceCeiling(max * 1.05);
        List<Double> ticks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) ticks.add(top * i / 4);
        return new Scale(0, top, false, ticks);
    }

    /** Whole decades around every value, spread and the reference; grid lines at 1, 2 and 5 of each decade. */
    private Scale logScale() {
        double lo = reference, hi = reference;
        for (Bar b : bars) {
            lo = Math.min(lo, b.value());
            hi = Math.max(hi, b.value());
            if (b.low() > 0 && Double.isFinite(b.low())) lo = Math.min(lo, b.low());
            if (Double.isFinite(b.high())) hi = Math.max(hi, b.high());
        }
        double min = Math.pow(10, Math.floor(Math.log10(lo))), max = Math.pow(10, Math.ceil(Math.log10(hi)));
        if (max <= min) max = min * 10;
        List<Double> ticks = new ArrayList<>();
        for (double d = min; d < max * 1.0001; d *= 10) {
            for (double m : new double[] {1, 2, 5}) if (d * m <= max * 1.0001) ticks.add(d * m);
        }
        return new Scale(min, max, true, ticks);
    }

    /** The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × a power of ten at least v. */
    static double niceCeiling(double v) {
        if (!(v > 0)) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) if (m * p >= v * (1 - 1e-12)) return m * p;
        return 10 * p;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
