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
 * broadcast state, the shard and the round's (epoch, step): a task that Spark retries, on this
 * executor or another, returns the same partial, so a lost worker cannot corrupt the model.
 * The decoded shard, the model and the batch buffers are kept per executor JVM between rounds.
 */
final class Worker {
    private final Dataset data;
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

    private Worker(Shard shard, ModelSpec spec, OptimizerSpec opt, int batch, long seed) {
        this.data = shard.dataset();
        this.model = spec.build();
        this.optimizer = opt.build();
        this.training = new TrainingState(model, optimizer);
        training.reseed(seed + 1_000_003L * shard.index());  // each shard its own dropout masks
        this.batch = batch;
        // each shard has its own seeded order; the epoch reshuffles it as single-machine training does
        this.order = BatchIterator.shuffled(data, batch, seed + 1_000_003L * shard.index());
        this.images = new float[batch * model.inputShape().size()];
        this.labels = new int[batch];
    }

    /** This executor's worker for the run and shard (one task at a time uses it: rounds are sequential). */
    static Worker of(String run, Shard shard, ModelSpec spec, OptimizerSpec opt, int batch, long seed) {
        CACHE.keySet().removeIf(k -> !k.startsWith(run + "/"));  // a finished run's workers go
        return CACHE.computeIfAbsent(run + "/" + shard.index(), k -> new Worker(shard, spec, opt, batch, seed));
    }

    int batchesPerEpoch() {
        return order.batchesPerEpoch();
    }

    /** Fills the buffers with batch `step` of `epoch` of this shard; returns its size (0 past the end). */
    private int load(int epoch, int step) {
        if (order.epoch() != epoch) order.reset(epoch);
        int from = step * batch, to = Math.min(from + batch, data.size());
        int size = model.inputShape().size();
        for (int j = from; j < to; j++) {
            int i = order.indexAt(j);
            data.copySample(i, images, (j - from) * size);
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
    synchronized Partial gradient(float[] state, int epoch, int step) {
        List<Param> params = model.params(), buffers = ModelState.buffers(model);
        int at = ModelState.unflatten(state, 0, ModelState.values(params));
        ModelState.unflatten(state, at, ModelState.values(buffers));
        Partial out = new Partial(ModelState.size(ModelState.grads(training.params())) + ModelState.size(ModelState.values(buffers)));
        int n = load(epoch, step);
        if (n == 0) return out;
        forwardBackward(n, out, epoch, step);
        out.workers = 1;
        int g = ModelState.accumulate(out.sum, 0, ModelState.grads(training.params()), n);
        ModelState.accumulate(out.sum, g, ModelState.values(buffers), n);
        return out;
    }

    /**
     * Averaging round: from the broadcast parameters, buffers and optimizer slots, `steps` local
     * steps on this shard's batches [first, first + steps) of `epoch`; returns the resulting
     * state (to be averaged over the workers).
     */
    synchronized Partial localSteps(float[] state, long optimizerSteps, int epoch, int first, int steps) {
        List<Param> params = model.params(), buffers = ModelState.buffers(model);
        List<float[]> slots = ModelState.slots(model, optimizer);
        int at = ModelState.unflatten(state, 0, ModelState.values(params));
        at = ModelState.unflatten(state, at, ModelState.values(buffers));
        ModelState.unflatten(state, at, slots);
        optimizer.setSteps(optimizerSteps);
        Partial out = new Partial(state.length);
        for (int s = first; s < first + steps; s++) {
            int n = load(epoch, s);
            if (n == 0) break;
            forwardBackward(n, out, epoch, s);
            training.step();
        }
        if (out.samples == 0) return out;  // this shard had no batch left: it does not vote
        out.workers = 1;
        int o = ModelState.accumulate(out.sum, 0, ModelState.values(params), 1);
        o = ModelState.accumulate(out.sum, o, ModelState.values(buffers), 1);
        ModelState.accumulate(out.sum, o, slots, 1);
        return out;
    }
}
