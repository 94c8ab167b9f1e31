package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.MetricsWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TrainingCurvesTest {
    private static final List<EpochStats> RUN = List.of(
            new EpochStats(1, 0.80, 0.70, 0.60, 0.78, 1000, 2),
            new EpochStats(2, 0.50, 0.82, 0.45, 0.84, 1000, 2),
            new EpochStats(3, 0.40, 0.86, 0.42, 0.85, 1000, 2));

    @Test
    void drawsLossAndAccuracyOfTrainAndTestAsTwoChartsWithAxesAndAPointPerEpoch() throws Exception {
        Document svg = parse(TrainingCurves.of(RUN).svg());
        Element root = svg.getDocumentElement();
        assertEquals("svg", root.getTagName());
        assertEquals("http://www.w3.org/2000/svg", root.getAttribute("xmlns"));
        List<Element> charts = byClass(root, "g", "chart");
        assertEquals(List.of("loss", "accuracy"), charts.stream().map(c -> c.getAttribute("id")).toList());
        for (Element chart : charts) {
            assertEquals(2, byClass(chart, "line", "axis").size(), "an x and a y axis");
            assertTrue(byClass(chart, "line", "x-tick").size() >= 3, "epoch ticks");
            assertTrue(byClass(chart, "line", "y-tick").size() >= 3, "value ticks");
            List<Element> series = byClass(chart, "polyline", "series");
            assertEquals(List.of("train", "test"), series.stream().map(s -> s.getAttribute("data-series")).toList());
            for (Element s : series) {
                double[][] xy = points(s.getAttribute("points"));
                assertEquals(3, xy.length, "a point per epoch");
                for (int i = 1; i < xy.length; i++) assertTrue(xy[i][0] > xy[i - 1][0], "epochs left to right");
                for (double[] p : xy) assertTrue(p[0] >= 0 && p[0] <= LineChart.WIDTH && p[1] >= 0 && p[1] <= LineChart.HEIGHT, "inside the chart");
            }
            assertEquals(6, byClass(chart, "circle", "point").size(), "markers for 2 series × 3 epochs");
        }
        // SVG's y grows downwards: falling train loss is drawn rising in y, rising accuracy falling in y
        double[][] trainLoss = points(byClass(charts.get(0), "polyline", "series").get(0).getAttribute("points"));
        double[][] trainAccuracy = points(byClass(charts.get(1), "polyline", "series").get(0).getAttribute("points"));
        assertTrue(trainLoss[0][1] < trainLoss[2][1] && trainAccuracy[0][1] > trainAccuracy[2][1]);
    }

    @Test
    void readsTheMetricsFilesTrainWritesCsvAndJson(@TempDir Path dir) throws Exception {
        for (String name : List.of("run.csv", "run.json")) {
            MetricsWriter w = new MetricsWriter(dir.resolve(name));
            RUN.forEach(w::onEpochEnd);
            List<TrainingCurves.Point> points = TrainingCurves.read(dir.resolve(name)).points();
            assertEquals(3, points.size(), name);
            assertEquals(new TrainingCurves.Point(2, 0.50, 0.82, 0.45, 0.84), points.get(1), name);
        }
        assertEquals(dir.resolve("run.svg"), TrainingCurves.svgNextTo(dir.resolve("run.csv")));
        assertEquals(dir.resolve("run.svg.curves.svg"), TrainingCurves.svgNextTo(dir.resolve("run.svg")));
        Files.writeString(dir.resolve("bad.csv"), "epoch,loss\n1,2\n");
        assertThrows(IllegalArgumentException.class, () -> TrainingCurves.read(dir.resolve("bad.csv")));
    }

    @Test
    void aRunWithoutTestDataDrawsOnlyTheTrainingCurvesAndHtmlHoldsTheSameSvg(@TempDir Path dir) throws Exception {
        TrainingCurves curves = TrainingCurves.of(List.of(new EpochStats(1, 0.8, 0.7, Double.NaN, Double.NaN, 100, 1)));
        Document svg = parse(curves.svg());
        assertEquals(List.of("train", "train"), byClass(svg.getDocumentElement(), "polyline", "series").stream()
                .map(s -> s.getAttribute("data-series")).toList());
        curves.write(dir.resolve("c.html"));
        String html = Files.readString(dir.resolve("c.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains(curves.svg()) && !html.contains("<script"), html);
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> byClass(Element in, String tag, String cls) {
        NodeList all = in.getElementsByTagName(tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) found.add(e);
        }
        return found;
    }

    private static double[][] points(String attribute) {
        String[] pairs = attribute.strip().split("\\s+");
        double[][] xy = new double[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            String[] p = pairs[i].split(",");
            xy[i] = new double[] {Double.parseDouble(p[0]), Double.parseDouble(p[1])};
        }
        return xy;
    }
}
