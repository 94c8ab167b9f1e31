package org.panamacnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code panama-cnn plot}: the loss and accuracy curves of a metrics file, as SVG or an HTML page. */
@Command(name = "plot", header = "loss and accuracy curves of a training run's metrics file (SVG or HTML)", sortOptions = false, customSynopsis = "panama-cnn plot METRICS [--out FILE]",
        description = {"Draws the loss and the accuracy per epoch, for train and test data, from a metrics file written by "
                + "'train --metrics' (CSV or JSON).", ""})
final class PlotCommand implements Callable<Integer> {
    @Parameters(paramLabel = "METRICS", index = "0", arity = "0..1", description = "the metrics file")
    private List<String> files = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE",
            description = "the picture: FILE.svg, or FILE.html for a page holding it (default: METRICS with .svg in place of its extension)")
    private String picture;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    private boolean help;

    private final PrintStream out;

    PlotCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        if (files.size() != 1) throw new UsageException("plot needs one METRICS file (try 'panama-cnn plot --help')");
        Path metrics = Path.of(files.get(0));
        Path picture = this.picture != null ? Path.of(this.picture) : TrainingCurves.svgNextTo(metrics);
        TrainingCurves.read(metrics).write(picture);
        out.println("curves written to " + picture);
        return 0;
    }
}
