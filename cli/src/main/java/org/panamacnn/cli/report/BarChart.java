package org.panamacnn.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart written as plain SVG: one bar per row with its value written beside it,
 * a whisker over the row's spread (lowest to highest fork), and an optional dashed reference line
 * (100% of peak, or 1× a reference). No scripts or fonts fetched, so it opens offline. Elements
 * carry classes ({@code bar}, {@code spread}, {@code reference}, {@code label}) and
 * {@code data-value}s, so tests and style sheets can find them.
 */
public final class BarChart {
    private static final int WIDTH = 820, LABEL = 340, VALUE = 80, ROW = 22, TOP = 44, BOTTOM = 34;
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"};

    /** One bar: its label, value and spread, the text written beside it, and its colour group. */
    public record Bar(String label, double value, double low, double high, String text, int group) {}

    private final String title, axis;
    private final double reference;
    private final List<Bar> bars = new ArrayList<>();

    /** @param reference where to draw the dashed line (NaN for none) */
    public BarChart(String title, String axis, double reference) {
        this.title = title;
        this.axis = axis;
        this.reference = reference;
    }

    public BarChart bar(Bar b) {
        if (!Double.isFinite(b.value()) || b.value() < 0) throw new IllegalArgumentException(b.label() + ": bar value " + b.value());
        bars.add(b);
        return this;
    }

    public boolean isEmpty() {
        return bars.isEmpty();
    }

    /** The chart as a standalone SVG document. */
    public String svg() {
        double max = Double.isFinite(reference) ? reference : 0;
        for (Bar b : bars) max = Math.max(max, Math.max(b.value(), Double.isFinite(b.high()) ? b.high() : 0));
        double scale = niceCeiling(max * 1.05);
        int plotW = WIDTH - LABEL - VALUE, height = TOP + ROW * bars.size() + BOTTOM, bottom = TOP + ROW * bars.size();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        sb.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        sb.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">%s</text>%n",
                WIDTH / 2, escape(title)));
        for (int i = 0; i <= 4; i++) {  // grid and axis labels at fifths of the scale
            double v = scale * i / 4, x = LABEL + plotW * v / scale;
            sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP - 4, x, bottom, x, bottom + 14, number(v)));
        }
        sb.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LABEL + plotW / 2, bottom + 28, escape(axis)));
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = TOP + i * ROW;
            double w = plotW * b.value() / scale;
            String colour = COLOURS[Math.floorMod(b.group(), COLOURS.length)];
            sb.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LABEL - 6, y + 15,
                    escape(b.label())));
            sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-value=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    b.value(), LABEL, y + 3, w, ROW - 6, colour));
            if (Double.isFinite(b.low()) && Double.isFinite(b.high()) && b.high() > b.low()) {
                double x1 = LABEL + plotW * Math.max(0, b.low()) / scale, x2 = LABEL + plotW * b.high() / scale;
                sb.append(String.format(Locale.ROOT, "<path class=\"spread\" data-low=\"%s\" data-high=\"%s\" d=\"M%.1f %d V%d M%.1f %d H%.1f M%.1f %d V%d\""
                        + " stroke=\"black\" fill=\"none\"/>%n", b.low(), b.high(), x1, y + 6, y + ROW - 6, x1, y + ROW / 2, x2, x2, y + 6, y + ROW - 6));
            }
            double textX = LABEL + Math.max(w, Double.isFinite(b.high()) ? plotW * b.high() / scale : 0) + 4;
            sb.append(String.format(Locale.ROOT, "<text class=\"value\" x=\"%.1f\" y=\"%d\">%s</text>%n", textX, y + 15, escape(b.text())));
        }
        if (Double.isFinite(reference)) {
            double x = LABEL + plotW * reference / scale;
            sb.append(String.format(Locale.ROOT, "<line class=\"reference\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\""
                    + " stroke-dasharray=\"4 3\"/>%n", x, TOP - 4, x, bottom));
        }
        return sb.append("</svg>\n").toString();
    }

    /** The smallest of 1, 2, 2.5, 5 × a power of ten at least v. */
    static double niceCeiling(double v) {
        if (!(v > 0)) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
