package org.panamacnn.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.panamacnn.cli.CommandLines;
import org.panamacnn.cli.SparkOptions;
import org.panamacnn.cli.TrainingOptions;
import org.panamacnn.cli.UsageException;
import org.panamacnn.data.Dataset;
import org.panamacnn.data.FashionMnist;
import org.panamacnn.io.Checkpoint;
import org.panamacnn.io.ModelFile;
import org.panamacnn.io.ModelDefinition;
import org.panamacnn.nn.Models;
import org.panamacnn.nn.Sequential;
import org.panamacnn.parallel.ParallelExecutor;
import org.panamacnn.tensor.Shape;
import org.panamacnn.train.CheckpointWriter;
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.Listeners;
import org.panamacnn.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code panama-cnn train --spark MASTER ...} and the spark-submit main class: trains as
 * {@code panama-cnn train} does, data-parallel over Spark partitions. Its options are train's
 * own definitions ({@link TrainingOptions}, {@link SparkOptions}), parsed and reported by the
 * cli's {@link CommandLines}.
 */
@Command(name = "train", sortOptions = false,
        customSynopsis = {"panama-cnn train --spark MASTER [options]",
            "   or: spark-submit --class org.panamacnn.spark.SparkTrain panama-cnn-spark.jar [options]"},
        description = {"Trains as 'panama-cnn train' does, data-parallel over Spark partitions (docs/spark.md).", ""})
public final class SparkTrain implements Callable<Integer> {
    @Mixin
    private TrainingOptions options;

    @Mixin
    private SparkOptions spark;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 99, description = "this text")
    private boolean help;

    private final PrintStream out, err;

    private SparkTrain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] argv) {
        System.exit(run(argv, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        return CommandLines.run(new SparkTrain(out, err), argv, out, err);
    }

    @Override
    public Integer call() throws IOException {
        try {
            return train(options, spark, out);
        } catch (UsageException | IOException | IllegalArgumentException e) {
            throw e;  // the command line's own one-line report
        } catch (Exception e) {  // Spark's SparkException is checked, and Scala throws it undeclared
            err.println("panama-cnn: " + SparkErrors.oneLine(e));
            return 1;
        }
    }

    static int train(TrainingOptions o, SparkOptions s, PrintStream out) throws IOException {
        o.check();
        SparkTrainer.Mode mode = s.mode().equals("sync") ? SparkTrainer.Mode.SYNC : SparkTrainer.Mode.AVERAGE;
        int epochs = o.epochs(), batch = o.batch(), partitions = s.partitions();
        int every = s.averageEvery(), threads = o.threads();
        String optimizer = o.optimizer();
        float lr = o.learningRate(), momentum = o.momentum(), decay = o.weightDecay();
        long seed = o.seed();
        String data = o.data();

        SparkConf conf = new SparkConf().setAppName("panama-cnn train");
        if (s.master() != null) conf.setMaster(s.master());
        else if (!conf.contains("spark.master")) throw new UsageException("--spark MASTER is needed outside spark-submit (e.g. --spark local[2])");
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
            if (o.resume() != null) {
                // the optimizer must have the saved settings: restore into one, then hand its state over
                org.panamacnn.optim.Optimizer restoredInto = new OptimizerSpec(optimizer, lr, momentum, o.nesterov(), decay).build();
                Checkpoint.Restored r = Checkpoint.restore(Path.of(o.resume()), restoredInto, executor);
                model = r.model();
                done = r.epochsDone();
                seed = r.seed();
                trainer = new SparkTrainer(sc, model, optimizer, lr, momentum, o.nesterov(), decay, mode, batch, partitions, every, seed);
                copyState(model, restoredInto, trainer.optimizer());
                out.printf("resumed from %s after epoch %d%n", o.resume(), done);
                if (done >= epochs) throw new UsageException("checkpoint has done " + done + " epochs already; ask for more with --epochs");
            } else {
                Shape input = Shape.of(train.channels(), train.height(), train.width());
                model = o.modelDef() != null ? ModelDefinition.load(Path.of(o.modelDef()), input, train.classes(), executor)
                        : Models.defaultCnn(input, train.classes(), executor);
                model.initialize(seed);
                trainer = new SparkTrainer(sc, model, optimizer, lr, momentum, o.nesterov(), decay, mode, batch, partitions, every, seed);
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
            if (o.checkpointDir() != null) {
                listeners.add(new CheckpointWriter(Path.of(o.checkpointDir()), o.checkpointEvery(), o.keep(), model, trainer.optimizer(), seed, meta));
            }
            trainer.fit(train.shards(), done, epochs, test, new Listeners(listeners));
            ModelFile.save(Path.of(o.out()), model, Map.of("epochs", String.valueOf(epochs), "seed", String.valueOf(seed),
                    "classes", meta.get("classes")));
            out.println("model saved to " + o.out());
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
