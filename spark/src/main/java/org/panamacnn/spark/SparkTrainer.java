package org.panamacnn.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;
import org.panamacnn.data.Dataset;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Optimizer;
import org.panamacnn.train.EpochStats;
import org.panamacnn.train.Evaluation;
import org.panamacnn.train.Trainer;
import org.panamacnn.train.TrainingListener;

/**
 * Data-parallel training of a {@link Sequential} model on Apache Spark. The training set is cut
 * into fixed partitions (shards) that the executors read from shared storage and cache; the
 * driver holds the model and the optimizer and runs rounds:
 * <ul>
 * <li>{@link Mode#SYNC}: one global batch per round. The driver broadcasts the weights, each
 *     worker computes the gradient of its share (batch / partitions samples of its shard), the
 *     gradients are added in a tree in partition order and the driver takes one optimizer step: the same
 *     arithmetic as one machine on the same global batch.</li>
 * <li>{@link Mode#AVERAGE}: parameter averaging (local SGD). Each worker takes K steps of
 *     batch-size batches on its shard from the broadcast weights and optimizer state; the driver
 *     averages weights, batch-norm statistics and optimizer slots. One round per K steps, so
 *     Spark's per-round cost (~0.2 s in local mode) is paid 1/K as often.</li>
 * </ul>
 */
public final class SparkTrainer {
    public enum Mode { SYNC, AVERAGE }

    /**
     * Where an epoch's time went: its rounds, their wall time on the driver, and the part of it
     * the slowest worker of each round spent computing (the rest is Spark's: scheduling, the
     * broadcast, the reduction, and the driver's update).
     */
    public record RoundCosts(int rounds, double seconds, double workerSeconds) {
        public double msPerRound() {
            return 1000 * seconds / rounds;
        }

        public double workerMsPerRound() {
            return 1000 * workerSeconds / rounds;
        }
    }

    /** Levels of the reduction tree (as treeAggregate's default depth). */
    static final int TREE_DEPTH = 2;

    private final JavaSparkContext sc;
    private final Sequential model;
    private final Optimizer optimizer;
    private final OptimizerSpec optimizerSpec;
    private final Mode mode;
    private final int batch, partitions, averageEvery;
    private final long seed;
    private int failFirstAttemptOfRound = -1;  // tests: make one task fail once
    private RoundCosts lastEpoch;

    /**
     * @param batch the global batch in SYNC mode (a multiple of partitions), each worker's batch in AVERAGE mode
     * @param averageEvery K, local steps per round in AVERAGE mode (ignored in SYNC mode)
     */
    public SparkTrainer(JavaSparkContext sc, Sequential model, String optimizer, float lr, float momentum, boolean nesterov,
                        float weightDecay, Mode mode, int batch, int partitions, int averageEvery, long seed) {
        if (partitions < 1) throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        if (mode == Mode.SYNC && batch % partitions != 0) {
            throw new IllegalArgumentException("in sync mode the global batch (" + batch + ") must be a multiple of the partitions ("
                    + partitions + "), so that every worker takes an equal share");
        }
        if (averageEvery < 1) throw new IllegalArgumentException("--average-every must be at least 1, got " + averageEvery);
        this.sc = sc;
        this.model = model;
        this.optimizerSpec = new OptimizerSpec(optimizer, lr, momentum, nesterov, weightDecay);
        this.optimizer = optimizerSpec.build();
        this.mode = mode;
        this.batch = batch;
        this.partitions = partitions;
        this.averageEvery = averageEvery;
        this.seed = seed;
    }

    /** The driver's optimizer (its state is what checkpoints save). */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The round costs of the last epoch trained (null before the first). */
    public RoundCosts lastEpochRounds() {
        return lastEpoch;
    }

    SparkTrainer failFirstAttemptOfRound(int round) {
        this.failFirstAttemptOfRound = round;
        return this;
    }

    /**
     * Trains epochs [fromEpoch, toEpoch) on the training set of an IDX directory (Fashion-MNIST's
     * file names, raw or .gz) that every executor can read: a path present on every node, HDFS or
     * any Hadoop file system. The driver reads the files' headers only; the executors read the records.
     */
    public List<EpochStats> fit(String idxDirectory, int fromEpoch, int toEpoch, Dataset validation, TrainingListener listener)
            throws java.io.IOException {
        return fit(HadoopData.describe(idxDirectory, partitions, sc.hadoopConfiguration()).shards(), fromEpoch, toEpoch, validation, listener);
    }

    /**
     * Trains epochs [fromEpoch, toEpoch) on the shards; evaluates on validation (may be null)
     * with the driver's model after each epoch, and tells the listener (checkpoints, logs).
     */
    public List<EpochStats> fit(List<Shard> shards, int fromEpoch, int toEpoch, Dataset validation, TrainingListener listener) {
        if (shards.size() != partitions) throw new IllegalArgumentException(shards.size() + " shards for " + partitions + " partitions");
        for (int p = 0; p < partitions; p++) {
            if (shards.get(p).index() != p) throw new IllegalArgumentException("shard " + p + " has index " + shards.get(p).index());
        }
        String run = UUID.randomUUID().toString();
        // Tasks carry shard descriptors (a few hundred bytes); each executor reads its shard's
        // records from storage and Spark caches them there. The cache keeps its lineage: when an
        // executor is lost, Spark reruns its tasks elsewhere and they read the shard again.
        Broadcast<SerializableConfiguration> hadoop = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        JavaRDD<Tuple2<Shard, ShardData>> rdd = sc.parallelize(shards, partitions)
                .map(s -> new Tuple2<>(s, s.read(hadoop.value().value())))
                .setName("panama-cnn shards")
                .persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        int localBatch = mode == Mode.SYNC ? batch / partitions : batch;
        ModelSpec spec = ModelSpec.of(model);
        OptimizerSpec opt = optimizerSpec;
        long sd = seed;
        int fail = failFirstAttemptOfRound;
        // rounds per epoch: the largest shard's batch count (shards differ by at most one sample)
        int shardBatches = 0;
        for (Shard s : shards) shardBatches = Math.max(shardBatches, (s.size() + localBatch - 1) / localBatch);
        int rounds = mode == Mode.SYNC ? shardBatches : (shardBatches + averageEvery - 1) / averageEvery;
        List<EpochStats> history = new ArrayList<>();
        Trainer evaluator = validation == null ? null
                : new Trainer(model, new org.panamacnn.loss.SoftmaxCrossEntropy(), optimizer, Math.min(256, validation.size()), seed);
        int round = 0;
        for (int epoch = fromEpoch; epoch < toEpoch; epoch++) {
            listener.onEpochStart(epoch, rounds);
            long start = System.nanoTime();
            double lossSum = 0;
            long correct = 0, seen = 0, workerNanos = 0;
            for (int r = 0; r < rounds; r++, round++) {
                Partial total;
                int e = epoch, step = r, k = averageEvery, thisRound = round;
                if (mode == Mode.SYNC) {
                    Broadcast<float[]> state = sc.broadcast(stateForSync());
                    total = OrderedTreeReduce.reduce(rdd.mapToPair(s -> {
                        failOnce(fail, thisRound);
                        return new Tuple2<>(s._1().index(), Worker.of(run, s._1(), spec, opt, localBatch, sd).gradient(s._2(), state.value(), e, step));
                    }), partitions, TREE_DEPTH);
                    state.destroy();
                    applyGradient(total);
                } else {
                    Broadcast<float[]> state = sc.broadcast(stateForAverage());
                    long steps = optimizer.steps();
                    total = OrderedTreeReduce.reduce(rdd.mapToPair(s -> {
                        failOnce(fail, thisRound);
                        return new Tuple2<>(s._1().index(),
                                Worker.of(run, s._1(), spec, opt, localBatch, sd).localSteps(s._2(), state.value(), steps, e, step * k, k));
                    }), partitions, TREE_DEPTH);
                    state.destroy();
                    applyAverage(total, steps);
                }
                lossSum += total.loss;
                workerNanos += total.workerNanos;
                seen += total.samples;
                correct += total.correct;
                listener.onBatchEnd(epoch, r, rounds, total.samples == 0 ? Double.NaN : total.loss / total.samples);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            lastEpoch = new RoundCosts(rounds, seconds, workerNanos / 1e9);
            Evaluation v = evaluator == null ? null : evaluator.evaluate(validation);
            EpochStats stats = new EpochStats(epoch + 1, lossSum / seen, (double) correct / seen,
                    v == null ? Double.NaN : v.loss(), v == null ? Double.NaN : v.accuracy(), seen, seconds);
            history.add(stats);
            listener.onEpochEnd(stats);
        }
        rdd.unpersist(false);
        hadoop.destroy();
        return history;
    }

    private static void failOnce(int failRound, int round) {
        TaskContext t = TaskContext.get();
        if (round == failRound && t != null && t.partitionId() == 0 && t.attemptNumber() == 0) {
            throw new IllegalStateException("injected failure in round " + round + " (first attempt of partition 0)");
        }
    }

    private float[] stateForSync() {
        List<float[]> all = new ArrayList<>(ModelState.values(model.params()));
        all.addAll(ModelState.values(ModelState.buffers(model)));
        return ModelState.flatten(all);
    }

    private float[] stateForAverage() {
        List<float[]> all = new ArrayList<>(ModelState.values(model.params()));
        all.addAll(ModelState.values(ModelState.buffers(model)));
        all.addAll(ModelState.slots(model, optimizer));
        return ModelState.flatten(all);
    }

    /** gradient = Σ (worker gradient × its samples) / samples; buffers averaged the same way; one step. */
    private void applyGradient(Partial total) {
        if (total.samples == 0 || total.sum == null) return;
        List<Param> params = model.params();
        int at = copyScaled(total.sum, 0, ModelState.grads(params), 1.0 / total.samples);
        copyScaled(total.sum, at, ModelState.values(ModelState.buffers(model)), 1.0 / total.samples);
        optimizer.step(params);
    }

    /** weights, buffers and optimizer slots = their mean over the workers that took steps. */
    private void applyAverage(Partial total, long stepsBefore) {
        if (total.workers == 0 || total.sum == null) return;
        double w = 1.0 / total.workers;
        int at = copyScaled(total.sum, 0, ModelState.values(model.params()), w);
        at = copyScaled(total.sum, at, ModelState.values(ModelState.buffers(model)), w);
        copyScaled(total.sum, at, ModelState.slots(model, optimizer), w);
        optimizer.setSteps(stepsBefore + (total.samples + total.workers * (long) batch - 1) / ((long) total.workers * batch));
    }

    private static int copyScaled(double[] sum, int from, List<float[]> arrays, double scale) {
        for (float[] a : arrays) {
            for (int i = 0; i < a.length; i++) a[i] = (float) (sum[from + i] * scale);
            from += a.length;
        }
        return from;
    }
}
