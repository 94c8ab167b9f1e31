package org.panamacnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.panamacnn.data.Augmentation;
import org.panamacnn.data.ImageFolder;
import org.panamacnn.data.PixelNormalization;
import org.panamacnn.io.Checkpoint;
import org.panamacnn.io.ModelFile;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Adam;
import org.panamacnn.optim.LearningRateSchedule;
import org.panamacnn.optim.Optimizer;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.train.CheckpointWriter;
import org.panamacnn.train.ClassifierHead;
import org.panamacnn.train.Freeze;
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.Listeners;
import org.panamacnn.train.MetricsWriter;
import org.panamacnn.train.ProgressBar;
import org.panamacnn.train.Trainer;
import org.panamacnn.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code panama-cnn train}: trains the default CNN, or a defined or imported network, on one machine or (--spark) on Spark. */
@Command(name = "train", header = "train a CNN (the default, or --model-def) on IDX, CIFAR-10 or image folders; --spark: on Spark", sortOptions = false, customSynopsis = "panama-cnn train [options]",
        description = {"Trains the default CNN (conv 32 → ReLU → pool → conv 64 → ReLU → pool → dense 128 → ReLU → dense 10, "
                + "softmax cross-entropy) and prints, per epoch, the training loss, the test accuracy and the training speed in "
                + "images/s (a live progress bar on a terminal).", ""})
final class TrainCommand implements Callable<Integer> {
    /** Where train saves the model without --out, and what eval and predict read without --model. */
    static final String DEFAULT_MODEL = TrainingOptions.DEFAULT_MODEL;

    @Mixin(name = "training")
    private TrainingOptions options;

    @Mixin(name = "spark")
    private SparkOptions spark;

    @Option(names = "--init", paramLabel = "FILE", order = 11,
            description = "start from the network and weights of a saved model (safetensors, or ONNX from PyTorch): fine-tuning")
    private String init;

    @Option(names = "--num-classes", paramLabel = "N", order = 12, converter = Converters.PositiveInt.class,
            description = "with --init: replace the classifier head (the last dense layer or convolution) by a new one of N classes; "
                    + "must be the data's class count (default: done when the model's and the data's differ)")
    private Integer numClasses;

    @Option(names = "--freeze", paramLabel = "PREFIX", order = 13, split = ",",
            description = "keep the tensors named PREFIX... fixed, as PyTorch's requires_grad_(False) + eval(): a layer or block by "
                    + "the model file's names (0., 3.main.0., n12_conv.); repeatable. Frozen batch norm uses its running statistics; "
                    + "backward stops where the frozen input-side layers end")
    private List<String> freeze = new ArrayList<>();

    @Option(names = "--image-size", paramLabel = "S", order = 21,
            description = "image folders: scale images to S×S or HxW (default: the first image's size)")
    private String imageSize;

    @Option(names = "--channels", paramLabel = "C", order = 22, converter = Converters.PositiveInt.class,
            description = "image folders: 1 (grey) or 3 (colour; default: as the first image)")
    private Integer channels;

    @Option(names = "--photos", order = 24,
            description = "image folders of photos (JPEG, PNG, any size; with --image-size): decoded batch by batch as training goes "
                    + "(memory holds a few batches, not the data set), with torchvision's transforms: RandomResizedCrop(S) and "
                    + "RandomHorizontalFlip for training, Resize(S·256/224) + CenterCrop(S) for the test images and for eval and "
                    + "predict of the saved model; ImageNet's mean/std for colour unless --mean/--std")
    private boolean photos;

    @Option(names = "--decoders", paramLabel = "N", order = 25, defaultValue = "2", converter = Converters.PositiveInt.class,
            description = "with --photos: threads decoding photos ahead of the training step (${DEFAULT-VALUE})")
    private int decoders;

    @Option(names = "--mean", paramLabel = "M", order = 26, description = "image folders: per-channel pixel mean (of p / 255) to normalise "
            + "with, with --std, kept in the model file (default: the training pixels' own; with --photos ImageNet's)")
    private String mean;

    @Option(names = "--std", paramLabel = "S", order = 27, description = "per-channel pixel standard deviation, with --mean")
    private String std;

    @Option(names = "--test-fraction", paramLabel = "F", order = 23, defaultValue = "0.1", converter = Converters.UnitFloat.class,
            description = "image folders without test/: hold out F of each class (${DEFAULT-VALUE})")
    private float testFraction;

    @Option(names = "--schedule", paramLabel = "NAME", order = 37, defaultValue = "constant", converter = Converters.ScheduleName.class,
            description = "constant, step (×0.1 every 3 epochs) or cosine (default ${DEFAULT-VALUE})")
    private String schedule;

    @Option(names = "--warmup", paramLabel = "E", order = 38, defaultValue = "0", converter = Converters.NonNegativeInt.class,
            description = "linear learning-rate warm-up over the first E epochs (default ${DEFAULT-VALUE})")
    private int warmup;

    @Option(names = "--augment-crop", paramLabel = "P", order = 39, defaultValue = "0", converter = Converters.NonNegativeInt.class,
            description = "augment: random crop after padding every side by P black pixels")
    private int augmentCrop;

    @Option(names = "--augment-flip", order = 40, description = "augment: horizontal flip with probability 1/2 (both seeded)")
    private boolean augmentFlip;

    @Option(names = "--clip-norm", paramLabel = "X", order = 41, defaultValue = "0", converter = Converters.NonNegativeFloat.class,
            description = "clip the global gradient norm to X before each update, as PyTorch's clip_grad_norm_ (default: no clipping)")
    private float clipNorm;

    @Option(names = "--override", order = 65, description = "with --resume: continue although options differ (recorded)")
    private boolean override;

    @Option(names = "--metrics", paramLabel = "FILE", order = 66,
            description = "write per-epoch figures to FILE (.csv, else JSON) and draw the loss and accuracy curves beside it (FILE's name, .svg)")
    private String metrics;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 99, description = "this text")
    private boolean help;

    @Spec
    private CommandSpec spec;

    private final PrintStream out;

    TrainCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException {
        options.check();
        if (spark.master() != null) return onSpark();
        List<String> sparkOnly = matched(spec.mixins().get("spark")).stream().filter(o -> !o.equals("--spark")).toList();
        if (!sparkOnly.isEmpty()) throw new UsageException(sparkOnly.get(0) + " is an option of training on Spark: give --spark MASTER too");
        Path dataDir = Path.of(options.data());
        int epochs = options.epochs(), batch = options.batch();
        int threads = ThreadCount.capped(options.threads(), out);
        Optimizer optimizer = optimizer();
        LearningRateSchedule lrSchedule = schedule(epochs);
        String outFile = options.out();
        String resume = options.resume();
        long seed = options.seed();

        if ((mean == null) != (std == null)) throw new UsageException("--mean and --std go together");
        PixelNormalization givenNorm = mean == null ? null : ConvertCommand.meanStd("train", mean, std);
        if (photos && (augmentCrop > 0 || augmentFlip)) {
            throw new UsageException("--photos crops and flips already (RandomResizedCrop, RandomHorizontalFlip): drop --augment-crop and --augment-flip");
        }
        TrainingData data = photos ? TrainingData.photos(dataDir, imageOptions(seed), givenNorm, decoders)
                : TrainingData.inMemory(dataDir, imageOptions(seed), givenNorm);
        if (givenNorm != null && !givenNorm.equals(data.normalization())) {
            throw new UsageException("--mean and --std apply to image folders and CIFAR-10; " + dataDir + " is " + data.format());
        }
        out.printf("data: %s (%s) — %,d training, %,d test images of %dx%dx%d, %d classes%n", dataDir, data.format(),
                data.train().size(), data.test().size(), data.train().channels(), data.train().height(), data.train().width(),
                data.classes().size());
        Map<String, String> fileMetadata = new java.util.LinkedHashMap<>(Map.of("classes", org.panamacnn.io.ClassNames.toMetadata(data.classes()),
                "normalization", data.normalization().toMetadata(), "test_fraction", String.valueOf(testFraction)));
        if (photos) fileMetadata.put("resize", data.resizing().toMetadata());
        Map<String, String> runSettings = ResumeCheck.settings(batch, optimizer.learningRate(), schedule, warmup, freeze);
        fileMetadata.putAll(runSettings);
        Shape input = Shape.of(data.train().channels(), data.train().height(), data.train().width());
        String def = options.modelDef();
        if (def != null && init != null) throw new UsageException("give --model-def or --init, not both");
        int classes = data.train().numClasses();
        if (numClasses != null && init == null) {
            throw new UsageException("--num-classes replaces the classifier head of an --init model; other models are made for the data's "
                    + classes + " classes");
        }
        if (numClasses != null && numClasses != classes) {
            throw new UsageException("--num-classes " + numClasses + " but the data " + dataDir + " has " + classes + " classes");
        }
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Sequential model;
            int done = 0;
            if (resume != null) {
                Checkpoint.Restored r = Checkpoint.restore(Path.of(resume), optimizer, executor);
                model = r.model();
                done = r.epochsDone();
                seed = r.seed();
                Sequential asked = def != null ? ModelDefinition.load(Path.of(def), input, data.train().numClasses(), executor)
                        : init != null ? initModel(executor, input, classes, seed) : null;
                fileMetadata.putAll(ResumeCheck.check(resume, r.metadata(), model, runSettings, def != null ? "--model-def " + def
                        : "--init " + init, asked, input, data.train().numClasses(), override, out));
                out.printf("resumed from %s after epoch %d%n", resume, done);
                if (done >= epochs) throw new UsageException("checkpoint has done " + done + " epochs already; ask for more with --epochs");
            } else {
                if (init != null) {
                    model = initModel(executor, input, classes, seed);
                    out.printf("starting from the weights of %s%n", init);
                } else {
                    model = def == null ? Models.defaultCnn(input, data.train().numClasses(), executor)
                            : ModelDefinition.load(Path.of(def), input, data.train().numClasses(), executor);
                    model.initialize(seed);
                }
            }
            out.print(model.summary());
            out.printf("training: epochs %d..%d, batch %d, %s lr %s (%s), seed %d, %d threads%n", done + 1, epochs, batch,
                    optimizer.describe(), optimizer.learningRate(), schedule, seed, threads);
            Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), optimizer, batch, seed, Freeze.prefixes(freeze))
                    .schedule(lrSchedule).clipGradientNorm(clipNorm);
            if (!freeze.isEmpty()) {
                Set<String> frozen = trainer.state().frozenTensors();
                long values = frozen.stream().mapToLong(n -> model.weights().byName().get(n).size()).sum();
                out.printf("frozen: %s (%d tensors, %,d values); %d leading steps run in evaluation mode without backward%n",
                        String.join(", ", freeze), frozen.size(), values, trainer.state().layers().frozenPrefixSteps());
            }
            int crop = augmentCrop;
            if (crop > 0 || augmentFlip) {
                if (crop > Math.min(data.train().height(), data.train().width())) {
                    throw new UsageException("--augment-crop must be at most the image side, got " + crop);
                }
                trainer.augment(new Augmentation(crop, augmentFlip, seed, data.train().channels(),
                        data.train().height(), data.train().width(), data.normalization()));
            }
            trainer.fit(data.train(), done, epochs, data.test(), listeners(model, optimizer, seed, epochs, batch, fileMetadata));
            Map<String, String> meta = new java.util.LinkedHashMap<>(fileMetadata);
            meta.put("epochs", String.valueOf(epochs));
            meta.put("seed", String.valueOf(seed));
            ModelFile.save(Path.of(outFile), model, meta);
            out.println("model saved to " + outFile);
        }
        return 0;
    }

    /**
     * The --init model for data of input images and classes: its classifier head replaced by a
     * new one (seeded) when --num-classes asks for it or the model's class count is not the data's.
     */
    private Sequential initModel(ParallelExecutor executor, Shape input, int classes, long seed) throws IOException {
        Sequential model = org.panamacnn.io.ModelReader.load(Path.of(init), executor);
        if (!model.inputShape().equals(input)) {
            throw new IllegalArgumentException(init + " takes " + model.inputShape() + " images but the data has " + input);
        }
        if (numClasses == null && model.outputShape().equals(Shape.of(classes))) return model;
        ClassifierHead.Location head;
        try {
            head = ClassifierHead.locate(model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(init + " gives " + model.outputShape() + " outputs, the data has " + classes
                    + " classes, and its head cannot be replaced: " + e.getMessage(), e);
        }
        out.printf("new classifier head of %d classes in place of %s, initialised as PyTorch's nn.Linear (seed %d)%n",
                classes, head.describe(), seed);
        return ClassifierHead.replace(model, classes, seed);
    }

    private TrainingListener listeners(Sequential model, Optimizer optimizer, long seed, int epochs, int batch,
                                       Map<String, String> fileMetadata) {
        List<TrainingListener> all = new ArrayList<>();
        if (System.console() != null) all.add(new ProgressBar(System.err, epochs, batch));
        all.add(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochStats s) {
                out.printf("epoch %d/%d  loss %.4f  train acc %5.2f%%  test loss %.4f  test acc %5.2f%%  %,.0f images/s  (%.1f s)%n",
                        s.epoch(), epochs, s.trainLoss(), 100 * s.trainAccuracy(), s.validationLoss(),
                        100 * s.validationAccuracy(), s.imagesPerSecond(), s.trainSeconds());
                out.flush();
            }
        });
        if (metrics != null) {
            all.add(new MetricsWriter(Path.of(metrics)));
            all.add(new CurvesWriter(TrainingCurves.svgNextTo(Path.of(metrics))));
        }
        String dir = options.checkpointDir();
        if (dir != null) {
            all.add(new CheckpointWriter(Path.of(dir), options.checkpointEvery(), options.keep(),
                    model, optimizer, seed, fileMetadata));
        }
        return new Listeners(all);
    }

    private ImageFolder.Options imageOptions(long seed) {
        int h = 0, w = 0;
        String size = imageSize;
        if (size != null) {
            String[] hw = size.toLowerCase(java.util.Locale.ROOT).split("x");
            try {
                h = Integer.parseInt(hw[0]);
                w = Integer.parseInt(hw[hw.length - 1]);
            } catch (NumberFormatException e) {
                h = -1;
            }
            if (hw.length > 2 || h < 1 || w < 1 || h > 4096 || w > 4096) {
                throw new UsageException("--image-size must be S or HxW with sides 1..4096, got '" + size + "'");
            }
        }
        if (channels != null && channels != 1 && channels != 3) throw new UsageException("--channels must be 1 or 3, got " + channels);
        return new ImageFolder.Options(h, w, channels == null ? 0 : channels, testFraction, seed);
    }

    private Optimizer optimizer() {
        float lr = options.learningRate(), decay = options.weightDecay();
        return options.optimizer().equals("adam") ? new Adam(lr, 0.9f, 0.999f, 1e-8f, decay)
                : new Sgd(lr, options.momentum(), decay, options.nesterov());
    }

    private LearningRateSchedule schedule(int epochs) {
        LearningRateSchedule s = switch (schedule) {
            case "step" -> LearningRateSchedule.step(3, 0.1f);
            case "cosine" -> LearningRateSchedule.cosine(epochs);
            default -> LearningRateSchedule.constant();
        };
        return s.withWarmup(warmup);
    }

    /** train --spark: the same options, run by the spark module's trainer when it is on the class path. */
    private int onSpark() throws IOException {
        List<String> local = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            boolean shared = spec.mixins().values().stream().anyMatch(m -> m.options().contains(o));
            if (!shared && !o.usageHelp() && matched(spec).contains(o.longestName())) local.add(o.longestName());
        }
        if (!local.isEmpty()) {
            throw new UsageException(local.get(0) + " is an option of training on this machine; train --spark does not take it");
        }
        SparkTraining trainer = ServiceLoader.load(SparkTraining.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "train --spark needs panama-cnn's spark module and Spark on the class path: ./panama-cnn puts them there "
                        + "(it builds spark/), or run spark-submit --class org.panamacnn.spark.SparkTrain "
                        + "spark/target/panama-cnn-spark.jar (see docs/spark.md)"));
        return trainer.train(options, spark, out);
    }

    /** The names of the options of {@code part} that the command line gave. */
    private List<String> matched(CommandSpec part) {
        ParseResult parsed = spec.commandLine().getParseResult();
        List<String> names = new ArrayList<>();
        for (OptionSpec o : part.options()) if (parsed.hasMatchedOption(o)) names.add(o.longestName());
        return names;
    }
}
