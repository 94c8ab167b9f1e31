package org.panamacnn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of training that {@code train} on one machine and on Spark share: one definition
 * (name, value type, default, help line), mixed into {@link TrainCommand} and into the spark
 * module's {@code SparkTrain}. The {@code order} numbers interleave them with each command's own
 * options in the help.
 */
public final class TrainingOptions {
    /** Where train saves the model without --out, and what eval and predict read without --model. */
    public static final String DEFAULT_MODEL = "model.safetensors";

    @Option(names = "--model-def", paramLabel = "FILE", order = 10,
            description = "train the network a model-definition file describes (JSON; see models/*.json) instead of the default CNN")
    private String modelDef;

    @Option(names = "--data", paramLabel = "DIR", order = 20,
            description = {"IDX directory with train-/t10k- images and labels, raw or .gz (default: the bundled Fashion-MNIST sample "
                    + "of 10k training and 2k test images); or CIFAR-10 binary batches (data_batch_1.bin ...); or an image folder: one subfolder "
                    + "per class, or train/ and test/ of them. With --spark: an IDX directory on any Hadoop file system "
                    + "(file:, hdfs:, ...)"})
    private String data;

    @Option(names = "--epochs", paramLabel = "N", order = 30, defaultValue = "5", converter = Converters.PositiveInt.class,
            description = "train until N epochs are done (default ${DEFAULT-VALUE})")
    private int epochs;

    @Option(names = "--batch", paramLabel = "B", order = 31, defaultValue = "64", converter = Converters.PositiveInt.class,
            description = "mini-batch size (default ${DEFAULT-VALUE}); with --spark: the global batch in sync mode, each worker's in average mode")
    private int batch;

    @Option(names = "--optimizer", paramLabel = "NAME", order = 32, defaultValue = "sgd", converter = Converters.OptimizerName.class,
            description = "sgd or adam (default ${DEFAULT-VALUE})")
    private String optimizer;

    @Option(names = "--lr", paramLabel = "X", order = 33, converter = Converters.PositiveFloat.class,
            description = "learning rate (default 0.01 for sgd, 0.001 for adam)")
    private Float lr;

    @Option(names = "--momentum", paramLabel = "M", order = 34, defaultValue = "0.9", converter = Converters.UnitFloat.class,
            description = "SGD momentum in [0, 1) (default ${DEFAULT-VALUE})")
    private float momentum;

    @Option(names = "--nesterov", order = 35, description = "Nesterov momentum")
    private boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "W", order = 36, defaultValue = "0", converter = Converters.NonNegativeFloat.class,
            description = "L2 weight decay (default ${DEFAULT-VALUE})")
    private float weightDecay;

    @Option(names = "--seed", paramLabel = "S", order = 50, defaultValue = "42", converter = Converters.WholeLong.class,
            description = "seed for initialisation and shuffling (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--threads", paramLabel = "T", order = 51, converter = Converters.PositiveInt.class,
            description = "worker threads (default: number of cores); with --spark: the driver's, for evaluation")
    private Integer threads;

    @Option(names = "--out", paramLabel = "FILE", order = 60, defaultValue = DEFAULT_MODEL,
            description = "save the trained model (safetensors) to FILE (default ${DEFAULT-VALUE}, which eval and predict read by default)")
    private String out;

    @Option(names = "--checkpoint-dir", paramLabel = "D", order = 61,
            description = "save a checkpoint (model + optimizer state) into D ...")
    private String checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "N", order = 62, defaultValue = "1", converter = Converters.PositiveInt.class,
            description = "... every N epochs (default ${DEFAULT-VALUE})")
    private int checkpointEvery;

    @Option(names = "--keep", paramLabel = "K", order = 63, defaultValue = "3", converter = Converters.PositiveInt.class,
            description = "... keeping the last K (default ${DEFAULT-VALUE})")
    private int keep;

    @Option(names = "--resume", paramLabel = "FILE", order = 64,
            description = "continue from a checkpoint: same options, more --epochs")
    private String resume;

    /** --model-def, or null for the default CNN. */
    public String modelDef() {
        return modelDef;
    }

    /** --data as given, or null for the bundled sample. */
    public String dataOrNull() {
        return data;
    }

    /** --data, or the bundled sample found from the install directory the launcher passes (or the working directory). */
    public String data() {
        return data != null ? data : defaultDataDir().toString();
    }

    /** The bundled Fashion-MNIST sample. */
    public static Path defaultDataDir() {
        return Path.of(System.getProperty("panamacnn.home", ".")).resolve("data").resolve("fashion-mnist-sample");
    }

    public int epochs() {
        return epochs;
    }

    public int batch() {
        return batch;
    }

    /** "sgd" or "adam". */
    public String optimizer() {
        return optimizer;
    }

    /** --lr, or the optimizer's usual one: 0.01 for SGD, 0.001 for Adam. */
    public float learningRate() {
        return lr != null ? lr : optimizer.equals("adam") ? 0.001f : 0.01f;
    }

    public float momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }

    public float weightDecay() {
        return weightDecay;
    }

    public long seed() {
        return seed;
    }

    /** --threads, or the number of cores. */
    public int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    public String out() {
        return out;
    }

    /** --checkpoint-dir, or null for no checkpoints. */
    public String checkpointDir() {
        return checkpointDir;
    }

    public int checkpointEvery() {
        return checkpointEvery;
    }

    public int keep() {
        return keep;
    }

    /** --resume, or null. */
    public String resume() {
        return resume;
    }

    /** Checks that hold between options: --nesterov needs momentum. */
    public void check() {
        if (nesterov && optimizer.equals("sgd") && momentum == 0f) throw new UsageException("--nesterov needs a --momentum above 0");
    }
}
