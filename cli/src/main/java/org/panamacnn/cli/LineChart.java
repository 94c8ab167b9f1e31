package org.panamacnn.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart written as plain SVG: axes with ticks and labels, one polyline with point markers
 * per series, a legend. No scripts, fonts or anything else fetched, so it opens offline. Non-finite
 * values are left out of a series. Elements carry classes ({@code chart}, {@code axis},
 * {@code series}, {@code point}, {@code tick}) and {@code data-series} names, so tests and
 * style sheets can find them.
 */
final class LineChart {
    static final int WIDTH = 480, HEIGHT = 320;
    private static final int LEFT = 64, RIGHT = 16, TOP = 40, BOTTOM = 48;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

    private record Series(String name, double[] x, double[] y) {}

    private final String id, title, xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();

    LineChart(String id, String title, String xLabel, String yLabel) {
        this.id = id;
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    LineChart series(String name, double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("series " + name + ": " + x.length + " x values, " + y.length + " y values");
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    /** Charts side by side in one SVG document. */
    static String document(List<LineChart> charts) {
        int width = WIDTH * charts.size();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n", width, HEIGHT, width, HEIGHT));
        sb.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, HEIGHT));
        for (int i = 0; i < charts.size(); i++) charts.get(i).appendTo(sb, i * WIDTH);
        return sb.append("</svg>\n").toString();
    }

    private void appendTo(StringBuilder sb, int offsetX) {
        Range xr = Range.of(series, true), yr = Range.of(series, false);
        double plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        sb.append(String.format(Locale.ROOT, "<g class=\"chart\" id=\"%s\" transform=\"translate(%d,0)\">%n", escape(id), offsetX));
        sb.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">%s</text>%n",
                LEFT + (int) plotW / 2, escape(title)));
        int bottom = TOP + (int) plotH, right = LEFT + (int) plotW;
        for (double t : xr.ticks()) {
            double px = LEFT + xr.fraction(t) * plotW;
            sb.append(String.format(Locale.ROOT, "<line class=\"tick x-tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, bottom, px, bottom + 5, px, bottom + 18, xr.label(t)));
        }
        for (double t : yr.ticks()) {
            double py = bottom - yr.fraction(t) * plotH;
            sb.append(String.format(Locale.ROOT, "<line class=\"tick y-tick\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, py, right, py, LEFT - 6, py + 4, yr.label(t)));
        }
        // axes after the grid lines, so they are drawn over them
        sb.append(String.format("<line class=\"axis x-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, bottom, right, bottom));
        sb.append(String.format("<line class=\"axis y-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP, LEFT, bottom));
        sb.append(String.format("<text class=\"x-label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + (int) plotW / 2, HEIGHT - 10, escape(xLabel)));
        sb.append(String.format("<text class=\"y-label\" x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">%s</text>%n",
                TOP + (int) plotH / 2, TOP + (int) plotH / 2, escape(yLabel)));
        for (int s = 0; s < series.size(); s++) {
            Series ser = series.get(s);
            String colour = COLOURS[s % COLOURS.length], name = escape(ser.name());
            StringBuilder pts = new StringBuilder(), marks = new StringBuilder();
            for (int i = 0; i < ser.x().length; i++) {
                if (!Double.isFinite(ser.x()[i]) || !Double.isFinite(ser.y()[i])) continue;
                double px = LEFT + xr.fraction(ser.x()[i]) * plotW, py = bottom - yr.fraction(ser.y()[i]) * plotH;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                marks.append(String.format(Locale.ROOT, "<circle class=\"point\" data-series=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
                        + "<title>%s: %s %s, %s</title></circle>%n", name, px, py, colour, name, escape(xLabel), xr.label(ser.x()[i]),
                        String.format(Locale.ROOT, "%.4g", ser.y()[i])));
            }
            if (pts.isEmpty()) continue;
            sb.append(String.format("<polyline class=\"series\" data-series=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    name, pts.toString().strip(), colour));
            sb.append(marks);
            int lx = right - 60 * (series.size() - s);  // legend: in a row above the plot's right end
            sb.append(String.format("<g class=\"legend\" data-series=\"%s\"><line x1=\"%d\" y1=\"20\" x2=\"%d\" y2=\"20\" stroke=\"%s\" stroke-width=\"2\"/>"
                    + "<text x=\"%d\" y=\"24\">%s</text></g>%n", name, lx, lx + 16, colour, lx + 20, name));
        }
        sb.append("</g>\n");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** An axis range widened to round tick steps (1, 2 or 5 × a power of ten). */
    record Range(double min, double max, double step) {
        static Range of(List<Series> all, boolean x) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (Series s : all) {
                for (int i = 0; i < s.x().length; i++) {
                    if (!Double.isFinite(s.x()[i]) || !Double.isFinite(s.y()[i])) continue;
                    double v = x ? s.x()[i] : s.y()[i];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (lo > hi) return new Range(0, 1, 0.2);            // nothing to draw
            if (lo == hi) {                                        // one value: a unit around it
                lo -= x ? 1 : Math.max(Math.abs(lo) * 0.1, 1e-3);
                hi += x ? 1 : Math.max(Math.abs(hi) * 0.1, 1e-3);
            }
            double raw = (hi - lo) / 5, power = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = raw <= power ? power : raw <= 2 * power ? 2 * power : raw <= 5 * power ? 5 * power : 10 * power;
            if (x) step = Math.max(1, Math.round(step));           // epochs are whole numbers
            return new Range(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step);
        }

        double fraction(double v) {
            return (v - min) / (max - min);
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            for (long i = 0; min + i * step <= max + step * 1e-9; i++) t.add(min + i * step);
            return t;
        }

        String label(double v) {
            if (step >= 1) return String.format(Locale.ROOT, "%.0f", v);
            int decimals = (int) Math.ceil(-Math.log10(step) - 1e-9);
            return String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }
}
