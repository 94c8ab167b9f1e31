package org.panamacnn.optim;

/**
 * The learning rate as a function of training progress: called before every step with the
 * base rate, the 0-based epoch, the batch within it and the batches per epoch. A pure function,
 * so a resumed run gets the same rates as an uninterrupted one.
 */
@FunctionalInterface
public interface LearningRateSchedule {
    float rate(float base, int epoch, int batch, int batchesPerEpoch);

    static LearningRateSchedule constant() {
        return (base, epoch, batch, per) -> base;
    }

    /** base · gamma^⌊epoch / every⌋. */
    static LearningRateSchedule step(int every, float gamma) {
        if (every < 1 || !(gamma > 0)) throw new IllegalArgumentException("bad step schedule: every " + every + ", gamma " + gamma);
        return (base, epoch, batch, per) -> (float) (base * Math.pow(gamma, epoch / every));
    }

    /** Cosine annealing from base to 0 over totalEpochs, per batch. */
    static LearningRateSchedule cosine(int totalEpochs) {
        if (totalEpochs < 1) throw new IllegalArgumentException("cosine schedule needs at least 1 epoch");
        return (base, epoch, batch, per) -> {
            double t = (epoch + (double) batch / per) / totalEpochs;
            return (float) (base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t))));
        };
    }

    /** Linear warm-up from base/warmupBatches to this schedule's rate over the first warmupEpochs. */
    default LearningRateSchedule withWarmup(int warmupEpochs) {
        if (warmupEpochs < 0) throw new IllegalArgumentException("warm-up epochs must be >= 0, got " + warmupEpochs);
        if (warmupEpochs == 0) return this;
        LearningRateSchedule after = this;
        return (base, epoch, batch, per) -> {
            float r = after.rate(base, epoch, batch, per);
            long done = (long) epoch * per + batch + 1;
            long warm = (long) warmupEpochs * per;
            return done >= warm ? r : r * done / warm;
        };
    }
}
