package org.panamacnn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The report of a recorded JMH JSON result (src/test/resources/bench-report: the shape of a real
 * run's file, with round made-up figures whose medians, peak shares and ratios are worked out in
 * the comments below).
 */
class BenchReportTest {
    static final Path FIXTURE = Path.of("src/test/resources/bench-report");

    private static BenchReport report() throws Exception {
        return BenchReport.read(FIXTURE, "quick");
    }

    @Test
    void forksAreReducedToMediansWithTheirRange() throws Exception {
        List<JmhResult> r = report().results();
        assertEquals(8, r.size());
        JmhResult gemm = r.get(1);
        assertEquals("GemmBenchmark.multiply", gemm.benchmark());
        assertEquals(Map.of("impl", "panama", "shape", "64x288x12544", "threads", "1"), gemm.params());
        assertEquals(21.0, gemm.median(), 1e-12);  // forks' means 20 and 22
        assertEquals(20.0, gemm.min(), 1e-12);
        assertEquals(22.0, gemm.max(), 1e-12);
        JmhResult inference = r.get(4);
        // sample mode: fork 1's calls 100 ×3, 105 ×2, 110 → median 100; fork 2's 120, 130 ×2 → 130
        assertEquals("sample", inference.mode());
        assertEquals(115.0, inference.median(), 1e-12);
        assertEquals(1e6 / 115.0, inference.perSecond(inference.median()), 1e-9);
        assertEquals("scalar kernels", r.get(7).variant());
        assertEquals("", r.get(6).variant());
    }

    @Test
    void flopCountedKernelsAreSharesOfTheMeasuredPeak() throws Exception {
        BenchReport report = report();
        // peak: forks 2.0e9 and 2.2e9 FLOP/s per lane, 16 lanes of 512 bits
        assertEquals(2.1e9 * 16 / 1e9, report.peakGflops(), 1e-9);
        List<BenchReport.PeakRow> rows = report.againstPeak();
        assertEquals(3, rows.size());  // panama, OpenBLAS and the oracle on one GEMM shape
        double flops = 2.0 * 64 * 288 * 12544;
        BenchReport.PeakRow panama = rows.get(0);
        assertEquals(flops / 21e-3 / 1e9, panama.gflops(), 1e-9);
        assertEquals(flops / 22e-3 / 1e9, panama.low(), 1e-9);
        assertEquals(flops / 20e-3 / 1e9, panama.high(), 1e-9);
        assertEquals(100 * panama.gflops() / 33.6, panama.percentOfPeak(), 1e-9);
        assertTrue(panama.label().contains("impl=panama"), panama.label());
    }

    @Test
    void everyBenchmarkIsSetAgainstTheReferencesOfTheSameRun() throws Exception {
        List<BenchReport.ReferenceRow> rows = report().againstReferences();
        assertEquals(List.of("OpenBLAS", "scalar oracle", "ONNX Runtime", "panama-cnn, scalar kernels"),
                rows.stream().map(BenchReport.ReferenceRow::reference).toList());
        assertEquals(30.0 / 21.0, rows.get(0).ratio(), 1e-12);
        assertEquals(440.0 / 21.0, rows.get(1).ratio(), 1e-12);
        assertEquals(420.0 / 22.0, rows.get(1).low(), 1e-12);  // our slowest fork against the oracle's fastest
        assertEquals(460.0 / 20.0, rows.get(1).high(), 1e-12);
        assertEquals(160.0 / 115.0, rows.get(2).ratio(), 1e-12);
        assertEquals(150.0 / 130.0, rows.get(2).low(), 1e-12);
        assertEquals(170.0 / 100.0, rows.get(2).high(), 1e-12);
        assertEquals("batch=1 intraThreads=1", rows.get(2).params());
        assertEquals(410.0 / 42.0, rows.get(3).ratio(), 1e-12);
    }

    @Test
    void writesMarkdownChartsAndASelfContainedPage(@TempDir Path dir) throws Exception {
        Path html = report().write(dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("Fixture CPU") && md.contains("FMA peak of one core: 33.6 GFLOP/s"), md);
        assertTrue(md.contains("| GemmBenchmark.multiply impl=panama shape=64x288x12544 threads=1 | 22.02 | 21.02–23.12 | 65.5% |"), md);
        assertTrue(md.contains("| InferenceBenchmark.predict | batch=1 intraThreads=1 | ONNX Runtime | 1.39× | 1.15–1.70 |"), md);
        assertTrue(md.contains("![% of peak](peak.svg)") && md.contains("![against references](references.svg)"), md);
        assertTrue(md.contains("| TrainingStepBenchmark.trainStep64 | threads=1 | scalar kernels | avgt | 2 | 410 | 400–420 | ms/op |"), md);

        Document page = parse(Files.readString(html));  // well-formed: it parses as XML
        NodeList svgs = page.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        assertEquals(2, svgs.getLength());
        List<Double> ratios = bars((Element) svgs.item(1));
        assertEquals(4, ratios.size());
        assertEquals(30.0 / 21.0, ratios.get(0), 1e-9);
        assertEquals(100 * (2.0 * 64 * 288 * 12544 / 21e-3 / 1e9) / 33.6, bars((Element) svgs.item(0)).get(0), 1e-9);
        String text = Files.readString(html);
        assertFalse(text.contains("<script") || text.contains("src=") || text.contains("href="), "nothing to fetch");
        for (String svg : List.of("peak.svg", "references.svg")) parse(Files.readString(dir.resolve(svg)));
    }

    @Test
    void aBadResultFileIsNamedWithItsEntry(@TempDir Path dir) throws Exception {
        Files.copy(FIXTURE.resolve("machine.json"), dir.resolve("machine.json"));
        Files.writeString(dir.resolve("jmh-01-x.json"), "[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\", \"primaryMetric\": {\"scoreUnit\": \"ms/op\"}}]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchReport.read(dir, "quick"));
        assertEquals(dir.resolve("jmh-01-x.json") + ", entry 1: no rawData", e.getMessage());
        Files.delete(dir.resolve("jmh-01-x.json"));
        e = assertThrows(IllegalArgumentException.class, () -> BenchReport.read(dir, "quick"));
        assertTrue(e.getMessage().contains("no JMH results"), e.getMessage());
    }

    @Test
    void barsScaleToNiceNumbersAndRefuseNegativeValues() {
        assertEquals(2.5, BarChart.niceCeiling(2.1), 1e-12);
        assertEquals(100, BarChart.niceCeiling(100), 1e-12);
        assertEquals(0.05, BarChart.niceCeiling(0.041), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new BarChart("t", "x", 1).bar(new BarChart.Bar("b", -1, 0, 0, "", 0)));
        String svg = new BarChart("a < b", "x", Double.NaN).bar(new BarChart.Bar("x & y", 1, 0.5, 2, "1", 0)).svg();
        assertTrue(svg.contains("a &lt; b") && svg.contains("x &amp; y") && !svg.contains("class=\"reference\""), svg);
    }

    @Test
    void ratiosAreDrawnOnALogarithmicScaleFromOne() throws Exception {
        String svg = BarChart.logarithmic("r", "x", 1).bar(new BarChart.Bar("half", 0.5, 0.4, 0.6, "0.5×", 0))
                .bar(new BarChart.Bar("double", 2, 1.5, 2.5, "2×", 0)).svg();
        NodeList rects = parse(svg).getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        Element half = (Element) rects.item(1), twice = (Element) rects.item(2);
        assertEquals(Double.parseDouble(half.getAttribute("width")), Double.parseDouble(twice.getAttribute("width")), 0.11);
        // the halving bar ends where the doubling bar starts: at 1×
        double halfEnd = Double.parseDouble(half.getAttribute("x")) + Double.parseDouble(half.getAttribute("width"));
        assertEquals(halfEnd, Double.parseDouble(twice.getAttribute("x")), 0.11);
        assertThrows(IllegalArgumentException.class, () -> BarChart.logarithmic("r", "x", 0));
    }

    /** The page or an SVG as an XML document (well-formed, or this throws). */
    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The data-value of every bar of a chart, in order. */
    static List<Double> bars(Element svg) {
        NodeList rects = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        List<Double> values = new java.util.ArrayList<>();
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            if (r.getAttribute("class").equals("bar")) values.add(Double.parseDouble(r.getAttribute("data-value")));
        }
        return values;
    }
}
