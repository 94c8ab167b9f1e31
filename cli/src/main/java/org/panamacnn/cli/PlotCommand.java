package org.panamacnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code panama-cnn plot}: the loss and accuracy curves of a metrics file, as SVG or an HTML page. */
final class PlotCommand {
    static final String HELP = """
            usage: panama-cnn plot METRICS [--out FILE]

            Draws the loss and the accuracy per epoch, for train and test data, from a metrics
            file written by 'train --metrics' (CSV or JSON).

              --out FILE      the picture: FILE.svg, or FILE.html for a page holding it
                              (default: METRICS with .svg in place of its extension)
              --help          this text
            """;

    static int run(List<String> argv, PrintStream out) throws IOException {
        List<String> options = new ArrayList<>(), files = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.startsWith("--")) {
                options.add(a);
                if (!a.contains("=") && !a.equals("--help") && i + 1 < argv.size()) options.add(argv.get(++i));
            } else {
                files.add(a);
            }
        }
        Args args = new Args(options, Set.of("out"), Set.of("help"));
        if (args.flag("help")) {
            out.print(HELP);
            return 0;
        }
        if (files.size() != 1) throw new UsageException("plot needs one METRICS file (try 'panama-cnn plot --help')");
        Path metrics = Path.of(files.get(0));
        Path picture = Path.of(args.string("out", TrainingCurves.svgNextTo(metrics).toString()));
        TrainingCurves.read(metrics).write(picture);
        out.println("curves written to " + picture);
        return 0;
    }

    private PlotCommand() {}
}
