package org.panamacnn.spark;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.panamacnn.data.BatchIterator;
import org.panamacnn.data.Dataset;
import org.panamacnn.loss.SoftmaxCrossEntropy;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.Optimizer;
import org.panamacnn.tensor.Tensor;
import org.panamacnn.train.TrainingDivergedException;
import org.panamacnn.train.TrainingState;

/**
 * The worker side of a round, for one shard. Everything it computes depends only on the
 * broadcast state, the shard's records and the round's (epoch, step) — the batch order is a
 * function of (seed, shard, epoch) and the dropout masks are reseeded from (seed, shard, epoch,
 * step) every round — so a task that Spark retries, on this executor or on another that has
 * just read the shard from storage, returns the same partial, bit for bit. The model and the
 * batch buffers are kept per executor JVM between rounds; the records are Spark's cached block.
 */
final class Worker {
    private final int shard, size;
    private final long seed;
    private final Sequential model;
    private final Optimizer optimizer;
    /** Gradients, activations and the optimizer's slots, kept apart from the model's weights. */
    private final TrainingState training;
    private final SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
    private final BatchIterator order;
    private final int batch;
    private final float[] images;
    private final int[] labels;

    private static final Map<String, Worker> CACHE = new ConcurrentHashMap<>();

    private Worker(int shard, int size, ModelSpec spec, OptimizerSpec opt, int batch, long seed) {
        this.shard = shard;
        this.size = size;
        this.seed = seed;
        this.model = spec.build();
        this.optimizer = opt.build();
        this.training = new TrainingState(model, optimizer);
        this.batch = batch;
        // each shard has its own seeded order; the epoch reshuffles it as single-machine training
        // does. The order depends on the size alone: an index-only data set of that size stands in.
        this.order = BatchIterator.shuffled(Dataset.of(new float[size], new int[size], 1, 1, 1, 1), batch, seed + 1_000_003L * shard);
        this.images = new float[batch * model.inputShape().size()];
        this.labels = new int[batch];
    }

    /** This executor's worker for the run and shard (one task at a time uses it: rounds are sequential). */
    static Worker of(String run, Shard shard, ModelSpec spec, OptimizerSpec opt, int batch, long seed) {
        CACHE.keySet().removeIf(k -> !k.startsWith(run + "/"));  // a finished run's workers go
        return CACHE.computeIfAbsent(run + "/" + shard.index(), k -> new Worker(shard.index(), shard.size(), spec, opt, batch, seed));
    }

    /** Dropout masks of a round: a function of (seed, shard, epoch, step), whoever computes it. */
    private void reseed(int epoch, int step) {
        long s = seed + 1_000_003L * shard;
        s = s * 0x9E3779B97F4A7C15L + epoch;
        training.reseed(s * 0x9E3779B97F4A7C15L + step);
    }

    /** Fills the buffers with batch `step` of `epoch` of this shard; returns its size (0 past the end). */
    private int load(ShardData data, int epoch, int step) {
        if (data.size() != size) throw new IllegalStateException("shard " + shard + " has " + data.size() + " records, planned " + size);
        if (order.epoch() != epoch) order.reset(epoch);
        int from = step * batch, to = Math.min(from + batch, data.size());
        int sample = model.inputShape().size();
        for (int j = from; j < to; j++) {
            int i = order.indexAt(j);
            data.copySample(i, images, (j - from) * sample);
            labels[j - from] = data.label(i);
        }
        return Math.max(0, to - from);
    }

    private double forwardBackward(int n, Partial out, int epoch, int step) {
        Tensor x = new Tensor(model.inputShape().withBatch(n), images);
        double l = loss.forward(training.forward(x), labels);
        if (!Double.isFinite(l)) throw new TrainingDivergedException(epoch + 1, step + 1, "the loss is " + l + " on a worker");
        training.backward(loss.gradient());
        out.loss += l * n;
        out.samples += n;
        for (int i = 0; i < n; i++) if (loss.predictedClass(i) == labels[i]) out.correct++;
        return l;
    }

    /**
     * Synchronous round: from the broadcast parameters and buffers, the gradient of this shard's
     * part of global batch `step`, as Σ gradient × samples, then the buffers × samples.
     */
    synchronized Partial gradient(ShardData data, float[] state, int epoch, int step) {
        long start = System.nanoTime();
        List<Param> params = model.params(), buffers = ModelState.buffers(model);
        int at = ModelState.unflatten(state, 0, ModelState.values(params));
        ModelState.unflatten(state, at, ModelState.values(buffers));
        Partial out = new Partial(ModelState.size(ModelState.grads(training.params())) + ModelState.size(ModelState.values(buffers)));
        reseed(epoch, step);
        int n = load(data, epoch, step);
        if (n == 0) return out;
        forwardBackward(n, out, epoch, step);
        out.workers = 1;
        int g = ModelState.accumulate(out.sum, 0, ModelState.grads(training.params()), n);
        ModelState.accumulate(out.sum, g, ModelState.values(buffers), n);
        out.workerNanos = System.nanoTime() - start;
        return out;
    }

    /**
     * Averaging round: from the broadcast parameters, buffers and optimizer slots, `steps` local
     * steps on this shard's batches [first, first + steps) of `epoch`; returns the resulting
     * state (to be averaged over the workers).
     */
    synchronized Partial localSteps(ShardData data, float[] state, long optimizerSteps, int epoch, int first, int steps) {
        long start = System.nanoTime();
        List<Param> params = model.params(), buffers = ModelState.buffers(model);
        List<float[]> slots = ModelState.slots(model, optimizer);
        int at = ModelState.unflatten(state, 0, ModelState.values(params));
        at = ModelState.unflatten(state, at, ModelState.values(buffers));
        ModelState.unflatten(state, at, slots);
        optimizer.setSteps(optimizerSteps);
        Partial out = new Partial(state.length);
        reseed(epoch, first);
        for (int s = first; s < first + steps; s++) {
            int n = load(data, epoch, s);
            if (n == 0) break;
            forwardBackward(n, out, epoch, s);
            training.step();
        }
        if (out.samples == 0) return out;  // this shard had no batch left: it does not vote
        out.workers = 1;
        int o = ModelState.accumulate(out.sum, 0, ModelState.values(params), 1);
        o = ModelState.accumulate(out.sum, o, ModelState.values(buffers), 1);
        ModelState.accumulate(out.sum, o, slots, 1);
        out.workerNanos = System.nanoTime() - start;
        return out;
    }
}
