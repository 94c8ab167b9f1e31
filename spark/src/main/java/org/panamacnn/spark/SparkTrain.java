package org.panamacnn.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.panamacnn.data.Dataset;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.io.Checkpoint;
import org.panamacnn.io.ModelFile;
import org.panamacnn.nn.ModelDefinition;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.train.CheckpointWriter;
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.Listeners;
import org.panamacnn.train.TrainingListener;

/**
 * {@code panama-cnn train --spark MASTER ...} and the spark-submit main class: trains as
 * {@code panama-cnn train} does, data-parallel over Spark partitions.
 */
public final class SparkTrain {
    static final String HELP = """
            usage: panama-cnn train --spark MASTER [options]
               or: spark-submit --class org.panamacnn.spark.SparkTrain panama-cnn-spark.jar [options]

              --spark MASTER        Spark master, e.g. local[2] (spark-submit sets it otherwise)
              --mode M              sync (one global batch per round, as one machine) or average
                                    (parameter averaging every K local steps; default average)
              --average-every K     local steps per averaging round (default 32)
              --partitions P        fixed data partitions = workers (default 2)
              --data DIR            IDX directory on any Hadoop file system (file:, hdfs:, ...);
                                    default: the bundled Fashion-MNIST sample
              --model-def FILE      the network (default: the default CNN)
              --epochs N            train until N epochs are done (default 5)
              --batch B             global batch in sync mode, each worker's batch in average mode (64)
              --optimizer NAME      sgd or adam (default sgd)
              --lr X  --momentum M  --nesterov  --weight-decay W   as for train
              --seed S              (default 42)
              --threads T           driver threads for evaluation (default: cores)
              --out FILE            save the trained model
              --checkpoint-dir D    checkpoint every epoch into D (keeping 3)
              --resume FILE         continue from a checkpoint
            """;

    private static final Set<String> OPTIONS = Set.of("spark", "mode", "average-every", "partitions", "data", "model-def", "epochs",
            "batch", "optimizer", "lr", "momentum", "weight-decay", "seed", "threads", "out", "checkpoint-dir", "resume");

    private SparkTrain() {}

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        try {
            return train(parse(argv), out);
        } catch (UsageError e) {
            err.println("panama-cnn: " + e.getMessage());
            return 2;
        } catch (Exception e) {  // Spark's SparkException is checked, and Scala throws it undeclared
            err.println("panama-cnn: " + SparkErrors.oneLine(e));
            return 1;
        }
    }

    static final class UsageError extends RuntimeException {
        UsageError(String m) {
            super(m);
        }
    }

    /** --name value / --name=value / --nesterov / --help. */
    static Map<String, String> parse(String[] argv) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) throw new UsageError("unexpected argument '" + a + "'");
            String name = a.substring(2), value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (name.equals("help") || name.equals("nesterov")) {
                o.put(name, "true");
            } else if (OPTIONS.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.length) throw new UsageError("--" + name + " needs a value");
                    value = argv[++i];
                }
                o.put(name, value);
            } else {
                throw new UsageError("unknown option --" + name);
            }
        }
        return o;
    }

    private static int positive(Map<String, String> o, String name, int fallback) {
        String v = o.get(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageError("--" + name + " must be a whole number of at least 1, got '" + v + "'");
    }

    private static float number(Map<String, String> o, String name, float fallback, float min, float max) {
        String v = o.get(name);
        if (v == null) return fallback;
        try {
            float f = Float.parseFloat(v);
            if (f >= min && f <= max) return f;
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageError("--" + name + " must be a number in [" + min + ", " + max + "], got '" + v + "'");
    }

    static int train(Map<String, String> o, PrintStream out) throws IOException {
        if (o.containsKey("help")) {
            out.print(HELP);
            return 0;
        }
        SparkTrainer.Mode mode = switch (o.getOrDefault("mode", "average")) {
            case "sync" -> SparkTrainer.Mode.SYNC;
            case "average" -> SparkTrainer.Mode.AVERAGE;
            default -> throw new UsageError("--mode must be sync or average, got '" + o.get("mode") + "'");
        };
        int epochs = positive(o, "epochs", 5), batch = positive(o, "batch", 64), partitions = positive(o, "partitions", 2);
        int every = positive(o, "average-every", 32), threads = positive(o, "threads", Runtime.getRuntime().availableProcessors());
        String optimizer = o.getOrDefault("optimizer", "sgd");
        if (!optimizer.equals("sgd") && !optimizer.equals("adam")) throw new UsageError("--optimizer must be sgd or adam, got '" + optimizer + "'");
        float lr = number(o, "lr", optimizer.equals("sgd") ? 0.01f : 0.001f, Float.MIN_VALUE, Float.MAX_VALUE);
        float momentum = number(o, "momentum", optimizer.equals("sgd") ? 0.9f : 0f, 0f, 0.999999f);
        float decay = number(o, "weight-decay", 0f, 0f, Float.MAX_VALUE);
        long seed = Long.parseLong(o.getOrDefault("seed", "42"));
        String data = o.getOrDefault("data", Path.of(System.getProperty("panamacnn.home", "."), "data", "fashion-mnist-sample").toString());

        SparkConf conf = new SparkConf().setAppName("panama-cnn train");
        if (o.containsKey("spark")) conf.setMaster(o.get("spark"));
        else if (!conf.contains("spark.master")) throw new UsageError("--spark MASTER is needed outside spark-submit (e.g. --spark local[2])");
        shipOwnJar(conf);
        try (JavaSparkContext sc = new JavaSparkContext(conf); ParallelExecutor executor = new ParallelExecutor(threads)) {
            sc.setLogLevel("WARN");
            HadoopData.TrainingSet train = HadoopData.describe(data, partitions, sc.hadoopConfiguration());
            Dataset test = HadoopData.testSet(data, sc.hadoopConfiguration());
            out.printf("data: %s — %,d training, %,d test images of %dx%d; Spark %s, %d partitions, %s mode%s%n", data,
                    train.size(), test.size(), train.height(), train.width(), sc.master(), partitions,
                    mode.name().toLowerCase(), mode == SparkTrainer.Mode.AVERAGE ? " every " + every + " steps" : "");
            Sequential model;
            int done = 0;
            SparkTrainer trainer;
            if (o.containsKey("resume")) {
                // the optimizer must have the saved settings: restore into one, then hand its state over
                org.panamacnn.optim.Optimizer restoredInto = new OptimizerSpec(optimizer, lr, momentum, o.containsKey("nesterov"), decay).build();
                Checkpoint.Restored r = Checkpoint.restore(Path.of(o.get("resume")), restoredInto, executor);
                model = r.model();
                done = r.epochsDone();
                seed = r.seed();
                trainer = new SparkTrainer(sc, model, optimizer, lr, momentum, o.containsKey("nesterov"), decay, mode, batch, partitions, every, seed);
                copyState(model, restoredInto, trainer.optimizer());
                out.printf("resumed from %s after epoch %d%n", o.get("resume"), done);
                if (done >= epochs) throw new UsageError("checkpoint has done " + done + " epochs already; ask for more with --epochs");
            } else {
                Shape input = Shape.of(train.channels(), train.height(), train.width());
                model = o.containsKey("model-def") ? ModelDefinition.load(Path.of(o.get("model-def")), input, train.classes(), executor)
                        : Models.defaultCnn(input, train.classes(), executor);
                model.initialize(seed);
                trainer = new SparkTrainer(sc, model, optimizer, lr, momentum, o.containsKey("nesterov"), decay, mode, batch, partitions, every, seed);
            }
            SparkTrainer timed = trainer;
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(new TrainingListener() {
                @Override
                public void onEpochEnd(EpochStats s) {
                    out.printf("epoch %d/%d  loss %.4f  train acc %5.2f%%  test loss %.4f  test acc %5.2f%%  %,.0f images/s  (%.1f s)%n",
                            s.epoch(), epochs, s.trainLoss(), 100 * s.trainAccuracy(), s.validationLoss(), 100 * s.validationAccuracy(),
                            s.imagesPerSecond(), s.trainSeconds());
                    SparkTrainer.RoundCosts c = timed.lastEpochRounds();
                    out.printf("  %d rounds of %.1f ms: the slowest worker computes %.1f ms, Spark takes %.1f ms (scheduling, broadcast, reduction, update)%n",
                            c.rounds(), c.msPerRound(), c.workerMsPerRound(), c.msPerRound() - c.workerMsPerRound());
                    out.flush();
                }
            });
            Map<String, String> meta = Map.of("classes", org.panamacnn.io.ClassNames.toMetadata(java.util.List.of(FashionMnist.CLASS_NAMES)));
            if (o.containsKey("checkpoint-dir")) {
                listeners.add(new CheckpointWriter(Path.of(o.get("checkpoint-dir")), 1, 3, model, trainer.optimizer(), seed, meta));
            }
            trainer.fit(train.shards(), done, epochs, test, new Listeners(listeners));
            if (o.containsKey("out")) {
                ModelFile.save(Path.of(o.get("out")), model, Map.of("epochs", String.valueOf(epochs), "seed", String.valueOf(seed),
                        "classes", meta.get("classes")));
                out.println("model saved to " + o.get("out"));
            }
        }
        return 0;
    }

    /**
     * Off a local master, executors need this jar (our classes and core's). spark-submit names it
     * in spark.jars; started by `panama-cnn train --spark spark://...` (plain java), nothing does:
     * name the jar this class came from, as spark-submit would.
     */
    static void shipOwnJar(SparkConf conf) {
        String master = conf.get("spark.master", "");
        if (master.startsWith("local") || !conf.get("spark.jars", "").isBlank()) return;
        String[] jar = JavaSparkContext.jarOfClass(SparkTrain.class);
        if (jar.length == 0) {
            throw new IllegalStateException("the classes of org.panamacnn.spark do not come from a jar, so the executors of " + master
                    + " cannot be sent them: run the panama-cnn-spark jar (spark/target/panama-cnn-spark.jar) or set spark.jars");
        }
        conf.setJars(jar);
    }

    /** Moves restored optimizer state (slots, step count) into the trainer's optimizer. */
    private static void copyState(Sequential model, org.panamacnn.optim.Optimizer from, org.panamacnn.optim.Optimizer to) {
        for (org.panamacnn.nn.Param p : model.params()) {
            Map<String, float[]> src = from.slots(p), dst = to.slots(p);
            for (Map.Entry<String, float[]> e : src.entrySet()) System.arraycopy(e.getValue(), 0, dst.get(e.getKey()), 0, e.getValue().length);
        }
        to.setSteps(from.steps());
    }
}
