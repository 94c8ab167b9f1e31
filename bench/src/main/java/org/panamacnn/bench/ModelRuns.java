package org.panamacnn.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.panamacnn.cli.report.BenchSettings;
import org.panamacnn.cli.report.LayerProfile;
import org.panamacnn.cli.report.ResultLine;
import org.panamacnn.cli.report.TorchComparison;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.io.ModelFile;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;

/**
 * The per-model part of {@code bench}'s models suite, for every definition in the checkout's
 * {@code models/}: a {@link StepProfile} of its training step, and its training throughput
 * against PyTorch's on the same architecture, TrainBench and the reference script run in
 * alternating rounds. Each measurement runs as its own program (a fresh JVM, or Python), as a
 * user would run it, so one model's JIT state or heap does not carry into the next.
 */
final class ModelRuns {
    /** Batch and steps of the profiles and the throughput runs (the reference's synthetic-data loop uses batch 64 too). */
    static final int BATCH = 64, PROFILE_STEPS = 100;

    private final Path dir;
    private final BenchSettings settings;
    private final PrintStream progress;
    private final int threads = Runtime.getRuntime().availableProcessors();

    ModelRuns(Path dir, BenchSettings settings, PrintStream progress) {
        this.dir = dir;
        this.settings = settings;
        this.progress = progress;
    }

    /** The model definitions of the checkout, sorted; names the directory when there is none. */
    static List<Path> definitions(Path project) throws IOException {
        Path models = project.resolve("models");
        if (!Files.isDirectory(models)) throw new IllegalArgumentException(models + ": no such directory (the model definitions of the models suite)");
        try (Stream<Path> s = Files.list(models)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    void run() throws IOException {
        List<Path> defs = definitions(settings.project());
        for (int i = 0; i < defs.size(); i++) {
            Path def = defs.get(i);
            progress.printf("[profile %d/%d] %s%n", i + 1, defs.size(), def.getFileName());
            progress.flush();
            java(StepProfile.class, def.toString(), "--batch", String.valueOf(BATCH), "--threads", String.valueOf(threads), "--steps",
                    String.valueOf(PROFILE_STEPS), "--json", dir.resolve(LayerProfile.fileName(def.getFileName().toString())).toString());
        }
        torch(defs).write(dir.resolve(TorchComparison.FILE));
    }

    TorchComparison torch(List<Path> defs) throws IOException {
        Path script = settings.torchScript();
        if (script == null) {
            return TorchComparison.missing("no PyTorch reference script was given (bench --torch-bench FILE, or PANAMA_CNN_TORCH_BENCH=FILE: "
                    + "torch_model_bench.py)");
        }
        if (!Files.isRegularFile(script)) return TorchComparison.missing("the PyTorch reference script " + script + " is missing");
        Program probe = Program.run(List.of("python3", "-c", "import torch; print(torch.__version__)"), Map.of());
        if (probe.status() != 0) {
            return TorchComparison.missing("python3 cannot import torch (" + probe.lastLine() + ")");
        }
        String version = probe.lastLine();
        Path files = Files.createDirectories(dir.resolve("models"));
        List<TorchComparison.Model> models = new ArrayList<>();
        for (Path def : defs) {
            String name = def.getFileName().toString();
            Shape shape = StepProfile.defaultShape(def);
            Path file = files.resolve(name.replaceFirst("\\.json$", ".safetensors"));
            try (ParallelExecutor executor = new ParallelExecutor(1)) {  // the architecture the script rebuilds in PyTorch
                Sequential net = ModelDefinition.load(def, shape, 10, executor);
                net.initialize(1);
                ModelFile.save(file, net, Map.of());
            }
            int r = settings.rounds();
            double[] panama = new double[r], nchw = new double[r], cl = new double[r];
            for (int k = 0; k < r; k++) {
                progress.printf("[PyTorch round %d/%d] %s: panama-cnn, then PyTorch%n", k + 1, r, name);
                progress.flush();
                panama[k] = imagesPerSecond(java(TrainBench.class, def.toString(), "--shape", StepProfile.shapeText(shape).replace('x', ','),
                        "--batch", String.valueOf(BATCH), "--threads", String.valueOf(threads)), null);
                List<String> out = pytorch(script, file);
                nchw[k] = imagesPerSecond(out, "nchw");
                cl[k] = imagesPerSecond(out, "cl");
            }
            models.add(new TorchComparison.Model(name, StepProfile.shapeText(shape), BATCH, threads, panama, nchw, cl));
        }
        return new TorchComparison("", version, models);
    }

    /**
     * The reference script on a model file, both layouts. glibc's malloc thresholds are raised as
     * the reference's README requires: without them PyTorch's synthetic-data loop maps and unmaps
     * its activation buffers every step and runs far below its speed.
     */
    private List<String> pytorch(Path script, Path model) throws IOException {
        Map<String, String> env = Map.of("MALLOC_MMAP_THRESHOLD_", System.getenv().getOrDefault("MALLOC_MMAP_THRESHOLD_", "33554432"),
                "MALLOC_TRIM_THRESHOLD_", System.getenv().getOrDefault("MALLOC_TRIM_THRESHOLD_", "268435456"));
        return Program.run(List.of("python3", script.toString(), model.toString(), "--batch", String.valueOf(BATCH), "--threads",
                String.valueOf(threads), "--layouts", "nchw,cl", "--project", settings.project().toString()), env).require().lines();
    }

    /** images/s of the RESULT line (of the layout, when given) in a program's output. */
    static double imagesPerSecond(List<String> output, String layout) {
        for (String line : output) {
            ResultLine r = ResultLine.parse(line);
            if (r != null && (layout == null || layout.equals(r.fields().get("layout")))) return r.number("img_s");
        }
        throw new IllegalStateException("no RESULT line" + (layout == null ? "" : " for layout " + layout) + " in: "
                + String.join(" / ", output.subList(Math.max(0, output.size() - 5), output.size())));
    }

    /** A main class of this module in a new JVM with this JVM's flags and class path; its output lines. */
    private List<String> java(Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return Program.run(cmd, Map.of()).require().lines();
    }

    /** A program run to its end: its command, exit status and output (stdout and stderr together). */
    record Program(List<String> command, int status, List<String> lines) {
        static Program run(List<String> command, Map<String, String> env) throws IOException {
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
            b.environment().putAll(env);
            Process p = b.start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            try {
                return new Program(command, p.waitFor(), lines);
            } catch (InterruptedException e) {
                p.destroy();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while " + command.getFirst() + " ran", e);
            }
        }

        String lastLine() {
            return lines.isEmpty() ? "no output" : lines.getLast().strip();
        }

        /** This run, or an exception naming the command, its status and its last lines. */
        Program require() {
            if (status == 0) return this;
            throw new IllegalStateException(String.join(" ", command) + " failed with status " + status + ": "
                    + String.join(" / ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
    }
}
