package org.panamacnn.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.panamacnn.cli.report.BenchReportTest.bars;
import static org.panamacnn.cli.report.BenchReportTest.parse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The models suite's sections of the report, from a recorded run (src/test/resources/bench-report-models:
 * the files' real shape, round made-up figures worked out in the comments): panama-cnn against
 * PyTorch, and where a training step goes.
 */
class ModelSectionsTest {
    static final Path FIXTURE = Path.of("src/test/resources/bench-report-models");

    private static BenchReport report() throws Exception {
        return BenchReport.read(FIXTURE, "models");
    }

    @Test
    void pytorchIsTakenInItsFasterLayoutAndSetAgainstPanamaOverTheRounds() throws Exception {
        List<TorchComparison.Model> models = report().torch().models();
        TorchComparison.Model cnn = models.get(0), resnet = models.get(1);
        // default-cnn: panama-cnn 7000, 7400, 7200 → 7200; NCHW median 5100, channels_last 5400 → channels_last
        assertEquals("channels_last", cnn.torchLayout());
        assertEquals(7200, cnn.panamaImagesPerSecond(), 1e-9);
        assertEquals(5400, cnn.torchImagesPerSecond(), 1e-9);
        assertEquals(7200.0 / 5400, cnn.ratio(), 1e-12);
        assertEquals(7000.0 / 5500, cnn.low(), 1e-12);  // panama-cnn's slowest round against PyTorch's fastest
        assertEquals(7400.0 / 5300, cnn.high(), 1e-12);
        // small-resnet: NCHW (510) beats channels_last (480)
        assertEquals("NCHW", resnet.torchLayout());
        assertEquals(330.0 / 510, resnet.ratio(), 1e-12);
        assertEquals(320.0 / 520, resnet.low(), 1e-12);
    }

    @Test
    void profilesGiveSharesGflopsAndPercentOfPeak() throws Exception {
        LayerProfile p = report().profiles().getFirst();
        LayerProfile.Row conv = p.rows().get(2);
        assertEquals("1.main.0", conv.path());
        assertEquals(40.0, p.percentOfStep(conv), 1e-12);  // (150 + 250) µs of a 1000 µs step
        assertEquals(20.0, conv.forwardGflops(), 1e-12);  // 3e6 FLOPs in 150 µs
        assertEquals(24.0, conv.backwardGflops(), 1e-12);  // 6e6 FLOPs in 250 µs
        assertTrue(Double.isNaN(p.rows().get(3).forwardGflops()), "a ReLU has no FLOPs counted");
    }

    @Test
    void markdownHasBothSectionsTheirTablesAndCharts(@TempDir Path dir) throws Exception {
        report().write(dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("## Training steps against PyTorch") && md.contains("PyTorch 2.13.0+cpu."), md);
        assertTrue(md.contains("| default-cnn.json | 1x28x28 | 64 | 2 | 3 | 7,200 | 5,400 | channels_last | 1.33× | 1.27–1.40 |"), md);
        assertTrue(md.contains("| small-resnet.json | 1x28x28 | 64 | 2 | 3 | 330 | 510 | NCHW | 0.65× | 0.62–0.68 |"), md);
        assertTrue(md.contains("![against PyTorch](pytorch.svg)"), md);
        assertTrue(md.contains("### tiny-resnet.json") && md.contains("The profiled step: 1,000 µs; the same step as the model runs it"
                + " (alternating with the profiled ones): 950 µs."), md);
        // peak: 33.6 GFLOP/s a core × 2 threads = 67.2; 20 / 67.2 = 30%, 24 / 67.2 = 36%
        assertTrue(md.contains("| · 1.main.0 | Conv2d(4→4, 3×3, stride 1, pad 1) | 150.0 | 250.0 | 40.0% | 20.0 | 24.0 | 30% / 36% |"), md);
        assertTrue(md.contains("| 1 | Residual(2 layers), total | 200.0 | 300.0 | 50.0% |  |  |  |"), md);
        assertTrue(md.contains("![where a step of tiny-resnet.json goes](layers-tiny-resnet.svg)"), md);
        assertTrue(md.indexOf("## Where a training step goes") < md.indexOf("## Every result"), md);
        for (String svg : List.of("pytorch.svg", "layers-tiny-resnet.svg")) parse(Files.readString(dir.resolve(svg)));
    }

    @Test
    void thePageDrawsTheRatiosAndEveryRowButTheBlocksTotals(@TempDir Path dir) throws Exception {
        String html = Files.readString(report().write(dir));
        NodeList svgs = parse(html).getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        assertEquals(4, svgs.getLength());  // peak, references, PyTorch, one profile
        List<Double> ratios = bars((Element) svgs.item(2));
        assertEquals(List.of(7200.0 / 5400, 330.0 / 510), ratios);
        List<Double> shares = bars((Element) svgs.item(3));
        assertEquals(List.of(30.0, 40.0, 5.0, 2.0, 10.0, 2.0, 8.0), shares);  // the rows but the residual's total
        assertFalse(html.contains("<script") || html.contains("src=") || html.contains("href="), "nothing to fetch");
    }

    @Test
    void aMissingPytorchIsOneLineAndNoChart(@TempDir Path dir) throws Exception {
        BenchReport r = report();
        String why = "python3 cannot import torch (ModuleNotFoundError: No module named 'torch')";
        BenchReport without = new BenchReport(Machine.read(FIXTURE.resolve("machine.json")), "models", r.results(), r.profiles(),
                TorchComparison.missing(why));
        without.write(dir);
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("## Training steps against PyTorch\n\nPyTorch was not measured: " + why + ".\n\n## Where"), md);
        assertFalse(Files.exists(dir.resolve("pytorch.svg")));
        assertTrue(Files.readString(dir.resolve("report.html")).contains("<p>PyTorch was not measured: python3 cannot import torch"));
        BenchReport quick = BenchReport.read(Path.of("src/test/resources/bench-report"), "quick");
        assertNull(quick.torch());
        quick.write(dir.resolve("q"));
        assertFalse(Files.readString(dir.resolve("q/report.md")).contains("PyTorch"), "no models suite, no PyTorch section");
    }

    @Test
    void resultFilesRoundTripAndNameTheirBadEntries(@TempDir Path dir) throws Exception {
        BenchReport r = report();
        r.torch().write(dir.resolve("pytorch.json"));
        assertEquals(r.torch(), TorchComparison.read(dir.resolve("pytorch.json")));
        r.profiles().getFirst().write(dir.resolve("p.json"));
        assertEquals(r.profiles().getFirst(), LayerProfile.read(dir.resolve("p.json")));
        Files.writeString(dir.resolve("bad.json"), Files.readString(FIXTURE.resolve("layers-tiny-resnet.json")).replace("\"kind\":\"merge\"", "\"kind\":\"fused\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerProfile.read(dir.resolve("bad.json")));
        assertEquals(dir.resolve("bad.json") + ", row 5: unknown kind 'fused'", e.getMessage());
        Files.writeString(dir.resolve("bad.json"), Files.readString(FIXTURE.resolve("pytorch.json")).replace("\"panama\":[330.0,340.0,320.0]", "\"panama\":[]"));
        e = assertThrows(IllegalArgumentException.class, () -> TorchComparison.read(dir.resolve("bad.json")));
        assertEquals(dir.resolve("bad.json") + ", model 2 (small-resnet.json): a program has no rounds", e.getMessage());
        assertEquals("layers-small-resnet.json", LayerProfile.fileName("small-resnet.json"));
        assertTrue(BenchReport.isResultFile("pytorch.json") && BenchReport.isResultFile("layers-a.json") && !BenchReport.isResultFile("machine.json"));
    }

    @Test
    void resultLinesOfBothProgramsAreRead() {
        ResultLine panama = ResultLine.parse("RESULT engine=panama-cnn model=small-resnet.json kernels=\"Vector API 512-bit, GEMM 8x2 vectors,"
                + " KC 1024\" shape=1x28x28 batch=64 threads=2 median_ms=190.00 img_s=336.8 img_s_mean=330.1");
        assertEquals("Vector API 512-bit, GEMM 8x2 vectors, KC 1024", panama.text("kernels"));
        assertEquals(336.8, panama.number("img_s"), 1e-12);
        ResultLine torch = ResultLine.parse("RESULT engine=torch layout=cl model=m.safetensors malloc=mmap_threshold=33554432 img_s=520.5");
        assertEquals("cl", torch.text("layout"));
        assertEquals("mmap_threshold=33554432", torch.text("malloc"));
        assertNull(ResultLine.parse("WARNING: Using incubator modules: jdk.incubator.vector"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> torch.number("median_ms"));
        assertTrue(e.getMessage().startsWith("RESULT line has no median_ms="), e.getMessage());
    }
}
