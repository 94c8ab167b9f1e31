package org.panamacnn.train;

import java.util.ArrayList;
import java.util.List;
import org.panamacnn.data.BatchSource;
import org.panamacnn.loss.LossHead;
import org.panamacnn.nn.ActivationSize;
import org.panamacnn.nn.Param;
import org.panamacnn.nn.Sequential;
import org.panamacnn.optim.LearningRateSchedule;
import org.panamacnn.optim.Optimizer;
import org.panamacnn.tensor.AllocationBudget;
import org.panamacnn.tensor.Shape;
import org.panamacnn.tensor.Tensor;

/**
 * Mini-batch training: shuffled batches (seeded), forward, loss, backward, optimizer step.
 * Batch buffers are allocated once; a step allocates nothing of its own. What training writes
 * besides the weights (gradients, saved activations, optimizer slots) is the trainer's
 * {@link TrainingState}; the model passed in keeps only its architecture and weights, which the
 * steps update in place.
 */
public final class Trainer {
    private final Sequential model;
    private final TrainingState state;
    private final LossHead loss;
    private final Optimizer optimizer;
    private final int batchSize;
    private final long seed;
    private final float[] images;
    private final int[] labels;
    private final float baseLearningRate;
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    private double clipNorm;  // 0: no clipping
    private org.panamacnn.data.Augmentation augmentation;  // null: none
    private double lastGradientNorm = Double.NaN;

    public Trainer(Sequential model, LossHead loss, Optimizer optimizer, int batchSize, long seed) {
        this(model, loss, optimizer, batchSize, seed, Freeze.none());
    }

    /** A trainer that keeps the tensors freeze names fixed (fine-tuning; see {@link TrainingState} and {@link Freeze}). */
    public Trainer(Sequential model, LossHead loss, Optimizer optimizer, int batchSize, long seed, Freeze freeze) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        requireBatchFits(model, batchSize);
        this.model = model;
        this.state = new TrainingState(model, optimizer, model.executor(), freeze);
        this.loss = loss;
        this.optimizer = optimizer;
        this.batchSize = batchSize;
        this.seed = seed;
        this.images = new float[Math.multiplyExact(batchSize, model.inputShape().size())];
        this.labels = new int[batchSize];
        this.baseLearningRate = optimizer.learningRate();
    }

    /**
     * Training holds every layer's output, the input gradients ({@link ActivationSize#gradientsPerSample}:
     * a few shared arrays for chains and residual blocks, one per graph node) and what backward
     * saves besides (max-pool arg-maxes, dropout masks: a quarter more, with room to spare): refused
     * before allocating when the budget cannot hold it.
     */
    private static void requireBatchFits(Sequential model, int batchSize) {
        long perImage = ActivationSize.perSample(model), gradients = ActivationSize.gradientsPerSample(model);
        long floats = Math.addExact(Math.addExact(perImage, gradients), Math.addExact(perImage, gradients) / 4);
        String what = "training a batch of " + batchSize + " images (" + perImage + " activation values and " + gradients
                + " gradient values per image)";
        AllocationBudget.require("batch size " + batchSize, what, AllocationBudget.product(what, batchSize, floats, Float.BYTES));
    }

    /** Sets how the learning rate moves from the optimizer's initial one as training goes on. */
    public Trainer schedule(LearningRateSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /**
     * Clips the global gradient norm to max before each update (PyTorch's clip_grad_norm_);
     * 0 turns clipping off.
     */
    public Trainer clipGradientNorm(double max) {
        if (!(max >= 0) || Double.isInfinite(max)) throw new IllegalArgumentException("clip norm must be a finite number >= 0, got " + max);
        this.clipNorm = max;
        return this;
    }

    /** Augments every training batch (seeded by epoch and batch, so resuming augments the same). */
    public Trainer augment(org.panamacnn.data.Augmentation augmentation) {
        this.augmentation = augmentation;
        return this;
    }

    /** The gradients, activations and optimizer this trainer keeps apart from the model's weights. */
    public TrainingState state() {
        return state;
    }

    /** The global gradient norm of the last step, before clipping. */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /**
     * One step on a batch: returns its mean loss. A non-finite loss or gradient throws
     * {@link TrainingDivergedException} before the optimizer touches the weights.
     */
    public double step(Tensor x, int[] y) {
        return step(x, y, 0, 0);
    }

    private double step(Tensor x, int[] y, int epoch, int batch) {
        Tensor logits = state.forward(x);
        double l = loss.forward(logits, y);
        if (!Double.isFinite(l)) {
            String where = state.layers().firstNonFinite(x);
            throw new TrainingDivergedException(epoch + 1, batch + 1, "the loss is " + l
                    + (where == null ? "" : "; the first non-finite values are in " + where));
        }
        state.backward(loss.gradient());
        List<Param> params = state.params();
        double norm = GradientNorm.of(params);
        lastGradientNorm = norm;
        if (!Double.isFinite(norm)) {
            Param p = GradientNorm.firstNonFiniteGradient(params);
            int layer = state.layers().layerOf(p);
            throw new TrainingDivergedException(epoch + 1, batch + 1, "the gradient norm is " + norm
                    + "; the first non-finite gradient is of layer " + layer + " (" + model.layers().get(layer).describe()
                    + ") parameter " + p.name() + " (loss " + l + ")");
        }
        if (clipNorm > 0) GradientNorm.clip(params, norm, clipNorm);
        state.step();
        return l;
    }

    /** Trains for the given epochs; validation may be null. Returns one {@link EpochStats} per epoch. */
    public List<EpochStats> fit(BatchSource train, int epochs, BatchSource validation, TrainingListener listener) {
        return fit(train, 0, epochs, validation, listener);
    }

    /**
     * Trains epochs [fromEpoch, toEpoch) (0-based): with the model and optimizer as a checkpoint
     * after fromEpoch epochs left them, this continues exactly where that run stopped — shuffling
     * depends only on the seed and the epoch, the learning rate only on the schedule. The data may
     * be in memory ({@link org.panamacnn.data.Dataset}) or decoded as it goes ({@link
     * org.panamacnn.data.PhotoFolder}); each epoch's batches are closed when it ends or fails.
     */
    public List<EpochStats> fit(BatchSource train, int fromEpoch, int toEpoch, BatchSource validation, TrainingListener listener) {
        requireCompatible(train, "training");
        if (validation != null) requireCompatible(validation, "validation");
        List<EpochStats> history = new ArrayList<>();
        Tensor full = batchTensor(batchSize);
        for (int epoch = fromEpoch; epoch < toEpoch; epoch++) {
            // dropout masks depend only on the seed and the epoch, so a resumed run draws the same ones
            state.reseed(seed * 0x9E3779B97F4A7C15L + epoch);
            double lossSum = 0;
            long correct = 0, seen = 0;
            long start;
            try (BatchSource.Batches batches = train.batches(epoch, batchSize, true, seed)) {
                int total = batches.batchesPerEpoch();
                listener.onEpochStart(epoch, total);
                start = System.nanoTime();
                int b = 0;
                for (int n; (n = batches.next(images, labels)) > 0; b++) {
                    optimizer.setLearningRate(schedule.rate(baseLearningRate, epoch, b, total));
                    if (augmentation != null) augmentation.apply(images, n, epoch, b);
                    Tensor x = n == batchSize ? full : batchTensor(n);
                    double l = step(x, labels, epoch, b);
                    lossSum += l * n;
                    seen += n;
                    for (int i = 0; i < n; i++) if (loss.predictedClass(i) == labels[i]) correct++;
                    listener.onBatchEnd(epoch, b, total, l);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation v = validation == null ? null : evaluate(validation);
            EpochStats stats = new EpochStats(epoch + 1, lossSum / seen, (double) correct / seen,
                    v == null ? Double.NaN : v.loss(), v == null ? Double.NaN : v.accuracy(), seen, seconds);
            history.add(stats);
            listener.onEpochEnd(stats);
        }
        return history;
    }

    /** Mean loss and accuracy over data, in order, without training. */
    public Evaluation evaluate(BatchSource data) {
        requireCompatible(data, "evaluation");
        Tensor full = batchTensor(batchSize);
        double lossSum = 0;
        long correct = 0;
        try (BatchSource.Batches batches = data.batches(0, batchSize, false, 0)) {
            for (int n; (n = batches.next(images, labels)) > 0; ) {
                Tensor x = n == batchSize ? full : batchTensor(n);
                // the state's layers already hold buffers for this batch size; evaluation writes no gradients
                lossSum += loss.forward(state.layers().forward(x, false), labels) * n;
                for (int i = 0; i < n; i++) if (loss.predictedClass(i) == labels[i]) correct++;
            }
        }
        return new Evaluation(lossSum / data.size(), (double) correct / data.size(), data.size());
    }

    private Tensor batchTensor(int n) {
        return new Tensor(model.inputShape().withBatch(n), images);
    }

    private void requireCompatible(BatchSource data, String what) {
        Shape sample = Shape.of(data.channels(), data.height(), data.width());
        if (!sample.equals(model.inputShape())) {
            throw new IllegalArgumentException(what + " images are " + sample + " but the model takes " + model.inputShape());
        }
        if (data.size() == 0) throw new IllegalArgumentException(what + " data set is empty");
    }
}
