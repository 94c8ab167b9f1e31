package org.panamacnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.panamacnn.data.Augmentation;
import org.panamacnn.data.DataSets;
import org.panamacnn.data.ImageFolder;
import org.panamacnn.data.LabelledData;
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
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.Listeners;
import org.panamacnn.train.MetricsWriter;
import org.panamacnn.train.ProgressBar;
import org.panamacnn.train.Trainer;
import org.panamacnn.train.TrainingListener;

/** {@code panama-cnn train}: trains the default CNN on an IDX (Fashion-MNIST layout) directory. */
final class TrainCommand {
    static final String HELP = """
            usage: panama-cnn train [options]

            Trains the default CNN (conv 32 → ReLU → pool → conv 64 → ReLU → pool → dense 128 → ReLU
            → dense 10, softmax cross-entropy) and prints, per epoch, the training loss, the test
            accuracy and the training speed in images/s (a live progress bar on a terminal).

              --model-def FILE    train the network a model-definition file describes (JSON; see
                                  models/*.json) instead of the default CNN
              --init FILE         start from the network and weights of a saved model
                                  (.safetensors, or .onnx from PyTorch): fine-tuning
              --data DIR          IDX directory with train-/t10k- images and labels, raw or .gz
                                  (default: the bundled 10,000/2,000-image Fashion-MNIST sample);
                                  or CIFAR-10 binary batches (data_batch_1.bin ...); or an image
                                  folder: one subfolder per class, or train/ and test/ of them
              --image-size S      image folders: scale images to S×S or HxW (default: the first
                                  image's size)
              --channels C        image folders: 1 (grey) or 3 (colour; default: as the first image)
              --test-fraction F   image folders without test/: hold out F of each class (0.1)
              --epochs N          train until N epochs are done (default 5)
              --batch B           mini-batch size (default 64)
              --optimizer NAME    sgd or adam (default sgd)
              --lr X              learning rate (default 0.01 for sgd, 0.001 for adam)
              --momentum M        SGD momentum in [0, 1) (default 0.9)
              --nesterov          Nesterov momentum
              --weight-decay W    L2 weight decay (default 0)
              --schedule NAME     constant, step (×0.1 every 3 epochs) or cosine (default constant)
              --warmup E          linear learning-rate warm-up over the first E epochs (default 0)
              --augment-crop P    augment: random crop after padding every side by P black pixels
              --augment-flip      augment: horizontal flip with probability 1/2 (both seeded)
              --clip-norm X       clip the global gradient norm to X before each update, as
                                  PyTorch's clip_grad_norm_ (default: no clipping)
              --seed S            seed for initialisation and shuffling (default 42)
              --threads T         worker threads (default: number of cores)
              --out FILE          save the trained model (safetensors) to FILE (default
                                  model.safetensors, which eval and predict read by default)
              --checkpoint-dir D  save a checkpoint (model + optimizer state) into D ...
              --checkpoint-every N  ... every N epochs (default 1)
              --keep K            ... keeping the last K (default 3)
              --resume FILE       continue from a checkpoint: same options, more --epochs
              --override          with --resume: continue although options differ (recorded)
              --metrics FILE      write per-epoch figures to FILE (.csv, else JSON) and draw
                                  the loss and accuracy curves beside it (FILE's name, .svg)
              --help              this text
            """;

    /** Where train saves the model without --out, and what eval and predict read without --model. */
    static final String DEFAULT_MODEL = "model.safetensors";

    private static final Set<String> OPTIONS = Set.of("data", "epochs", "batch", "optimizer", "lr", "momentum",
            "weight-decay", "schedule", "warmup", "seed", "threads", "out", "checkpoint-dir", "checkpoint-every", "keep",
            "resume", "metrics", "model-def", "clip-norm", "image-size", "channels", "test-fraction", "augment-crop", "init");

    static int run(List<String> argv, PrintStream out) throws IOException {
        Args args = new Args(argv, OPTIONS, Set.of("help", "nesterov", "augment-flip", "override"));
        if (args.flag("help")) {
            out.print(HELP);
            return 0;
        }
        Path dataDir = Path.of(args.string("data", Main.defaultDataDir().toString()));
        int epochs = args.positiveInt("epochs", 5);
        int batch = args.positiveInt("batch", 64);
        int threads = args.threads(out);
        Optimizer optimizer = optimizer(args);
        LearningRateSchedule schedule = schedule(args, epochs);
        String outFile = args.string("out", DEFAULT_MODEL);
        String resume = args.string("resume", null);
        long seed = args.longValue("seed", 42);

        LabelledData data = DataSets.load(dataDir, imageOptions(args, seed));
        out.printf("data: %s (%s) — %,d training, %,d test images of %dx%dx%d, %d classes%n", dataDir, data.format(),
                data.train().size(), data.test().size(), data.train().channels(), data.train().height(), data.train().width(),
                data.classes().size());
        Map<String, String> fileMetadata = new java.util.LinkedHashMap<>(Map.of("classes", org.panamacnn.io.ClassNames.toMetadata(data.classes()),
                "normalization", data.normalization().toMetadata(), "test_fraction", args.string("test-fraction", "0.1")));
        Map<String, String> runSettings = ResumeCheck.settings(batch, optimizer.learningRate(), args.string("schedule", "constant"),
                args.nonNegativeInt("warmup", 0));
        fileMetadata.putAll(runSettings);
        Shape input = Shape.of(data.train().channels(), data.train().height(), data.train().width());
        String def = args.string("model-def", null), init = args.string("init", null);
        if (def != null && init != null) throw new UsageException("give --model-def or --init, not both");
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Sequential model;
            int done = 0;
            if (resume != null) {
                Checkpoint.Restored r = Checkpoint.restore(Path.of(resume), optimizer, executor);
                model = r.model();
                done = r.epochsDone();
                seed = r.seed();
                Sequential asked = def != null ? ModelDefinition.load(Path.of(def), input, data.train().numClasses(), executor)
                        : init != null ? org.panamacnn.io.ModelReader.load(Path.of(init), executor) : null;
                fileMetadata.putAll(ResumeCheck.check(resume, r.metadata(), model, runSettings, def != null ? "--model-def " + def
                        : "--init " + init, asked, input, data.train().numClasses(), args.flag("override"), out));
                out.printf("resumed from %s after epoch %d%n", resume, done);
                if (done >= epochs) throw new UsageException("checkpoint has done " + done + " epochs already; ask for more with --epochs");
            } else {
                if (init != null) {
                    model = org.panamacnn.io.ModelReader.load(Path.of(init), executor);
                    if (!model.inputShape().equals(input) || !model.outputShape().equals(Shape.of(data.train().numClasses()))) {
                        throw new IllegalArgumentException(init + " takes " + model.inputShape() + " and gives " + model.outputShape()
                                + " but the data has " + input + " images of " + data.train().numClasses() + " classes");
                    }
                    out.printf("starting from the weights of %s%n", init);
                } else {
                    model = def == null ? Models.defaultCnn(input, data.train().numClasses(), executor)
                            : ModelDefinition.load(Path.of(def), input, data.train().numClasses(), executor);
                    model.initialize(seed);
                }
            }
            out.print(model.summary());
            out.printf("training: epochs %d..%d, batch %d, %s lr %s (%s), seed %d, %d threads%n", done + 1, epochs, batch,
                    optimizer.describe(), optimizer.learningRate(), args.string("schedule", "constant"), seed, threads);
            Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), optimizer, batch, seed).schedule(schedule)
                    .clipGradientNorm(args.nonNegativeFloat("clip-norm", 0f));
            int crop = args.nonNegativeInt("augment-crop", 0);
            if (crop > 0 || args.flag("augment-flip")) {
                if (crop > Math.min(data.train().height(), data.train().width())) {
                    throw new UsageException("--augment-crop must be at most the image side, got " + crop);
                }
                trainer.augment(new Augmentation(crop, args.flag("augment-flip"), seed, data.train().channels(),
                        data.train().height(), data.train().width(), data.normalization()));
            }
            trainer.fit(data.train(), done, epochs, data.test(), listeners(args, out, model, optimizer, seed, epochs, batch, fileMetadata));
            Map<String, String> meta = new java.util.LinkedHashMap<>(fileMetadata);
            meta.put("epochs", String.valueOf(epochs));
            meta.put("seed", String.valueOf(seed));
            ModelFile.save(Path.of(outFile), model, meta);
            out.println("model saved to " + outFile);
        }
        return 0;
    }

    private static TrainingListener listeners(Args args, PrintStream out, Sequential model, Optimizer optimizer,
                                              long seed, int epochs, int batch, Map<String, String> fileMetadata) {
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
        String metrics = args.string("metrics", null);
        if (metrics != null) {
            all.add(new MetricsWriter(Path.of(metrics)));
            all.add(new CurvesWriter(TrainingCurves.svgNextTo(Path.of(metrics))));
        }
        String dir = args.string("checkpoint-dir", null);
        if (dir != null) {
            all.add(new CheckpointWriter(Path.of(dir), args.positiveInt("checkpoint-every", 1), args.positiveInt("keep", 3),
                    model, optimizer, seed, fileMetadata));
        }
        return new Listeners(all);
    }

    private static ImageFolder.Options imageOptions(Args args, long seed) {
        int h = 0, w = 0;
        String size = args.string("image-size", null);
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
        int channels = args.positiveInt("channels", 3);
        if (args.string("channels", null) == null) channels = 0;
        else if (channels != 1 && channels != 3) throw new UsageException("--channels must be 1 or 3, got " + channels);
        float fraction = args.unitFloat("test-fraction", 0.1f);
        return new ImageFolder.Options(h, w, channels, fraction, seed);
    }

    private static Optimizer optimizer(Args args) {
        float decay = args.nonNegativeFloat("weight-decay", 0f);
        return switch (args.string("optimizer", "sgd")) {
            case "sgd" -> {
                float momentum = args.unitFloat("momentum", 0.9f);
                boolean nesterov = args.flag("nesterov");
                if (nesterov && momentum == 0f) throw new UsageException("--nesterov needs a --momentum above 0");
                yield new Sgd(args.positiveFloat("lr", 0.01f), momentum, decay, nesterov);
            }
            case "adam" -> new Adam(args.positiveFloat("lr", 0.001f), 0.9f, 0.999f, 1e-8f, decay);
            default -> throw new UsageException("--optimizer must be sgd or adam, got '" + args.string("optimizer", "") + "'");
        };
    }

    private static LearningRateSchedule schedule(Args args, int epochs) {
        LearningRateSchedule s = switch (args.string("schedule", "constant")) {
            case "constant" -> LearningRateSchedule.constant();
            case "step" -> LearningRateSchedule.step(3, 0.1f);
            case "cosine" -> LearningRateSchedule.cosine(epochs);
            default -> throw new UsageException("--schedule must be constant, step or cosine, got '" + args.string("schedule", "") + "'");
        };
        return s.withWarmup(args.nonNegativeInt("warmup", 0));
    }

    private TrainCommand() {}
}
