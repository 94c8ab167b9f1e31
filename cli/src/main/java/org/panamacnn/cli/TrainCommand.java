package org.panamacnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.io.ModelFile;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Sgd;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.Trainer;
import org.panamacnn.train.TrainingListener;

/** {@code panama-cnn train}: trains the default CNN on an IDX (Fashion-MNIST layout) directory. */
final class TrainCommand {
    static final String HELP = """
            usage: panama-cnn train [options]

            Trains the default CNN (conv 32 → ReLU → pool → conv 64 → ReLU → pool → dense 128 → ReLU
            → dense 10, softmax cross-entropy) and prints, per epoch, the training loss, the test
            accuracy and the training speed in images/s.

              --data DIR      IDX directory with train-/t10k- images and labels, raw or .gz
                              (default: the bundled 10,000/2,000-image Fashion-MNIST sample)
              --epochs N      passes over the training set (default 5)
              --batch B       mini-batch size (default 64)
              --lr X          learning rate (default 0.01)
              --momentum M    SGD momentum in [0, 1) (default 0.9)
              --seed S        seed for initialisation and shuffling (default 42)
              --threads T     worker threads (default: number of cores)
              --out FILE      save the trained model (safetensors) to FILE
              --help          this text
            """;

    private static final Set<String> OPTIONS = Set.of("data", "epochs", "batch", "lr", "momentum", "seed", "threads", "out");

    static int run(List<String> argv, PrintStream out) throws IOException {
        Args args = new Args(argv, OPTIONS, Set.of("help"));
        if (args.flag("help")) {
            out.print(HELP);
            return 0;
        }
        Path dataDir = Path.of(args.string("data", Main.defaultDataDir().toString()));
        int epochs = args.positiveInt("epochs", 5);
        int batch = args.positiveInt("batch", 64);
        float lr = args.positiveFloat("lr", 0.01f);
        float momentum = args.unitFloat("momentum", 0.9f);
        long seed = args.longValue("seed", 42);
        int threads = args.positiveInt("threads", Runtime.getRuntime().availableProcessors());
        String outFile = args.string("out", null);

        FashionMnist data = FashionMnist.load(dataDir);
        out.printf("data: %s — %,d training, %,d test images of %dx%d%n", dataDir,
                data.train().size(), data.test().size(), data.train().height(), data.train().width());
        try (ParallelExecutor executor = new ParallelExecutor(threads)) {
            Shape input = Shape.of(data.train().channels(), data.train().height(), data.train().width());
            Sequential model = Models.defaultCnn(input, data.train().numClasses(), executor);
            model.initialize(seed);
            out.print(model.summary());
            out.printf("training: %d epochs, batch %d, SGD lr %s momentum %s, seed %d, %d threads%n",
                    epochs, batch, lr, momentum, seed, threads);
            Trainer trainer = new Trainer(model, new SoftmaxCrossEntropy(), new Sgd(lr, momentum, 0f, false), batch, seed);
            trainer.fit(data.train(), epochs, data.test(), new TrainingListener() {
                @Override
                public void onEpochEnd(EpochStats s) {
                    out.printf("epoch %d/%d  loss %.4f  train acc %5.2f%%  test loss %.4f  test acc %5.2f%%  %,.0f images/s  (%.1f s)%n",
                            s.epoch(), epochs, s.trainLoss(), 100 * s.trainAccuracy(), s.validationLoss(),
                            100 * s.validationAccuracy(), s.imagesPerSecond(), s.trainSeconds());
                    out.flush();
                }
            });
            if (outFile != null) {
                ModelFile.save(Path.of(outFile), model, Map.of("epochs", String.valueOf(epochs), "seed", String.valueOf(seed),
                        "classes", String.join(",", FashionMnist.CLASS_NAMES)));
                out.println("model saved to " + outFile);
            }
        }
        return 0;
    }

    private TrainCommand() {}
}
