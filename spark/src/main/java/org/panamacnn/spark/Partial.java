package org.panamacnn.spark;

import java.io.Serializable;

/**
 * What workers send back in a round and {@link OrderedTreeReduce} adds up: a vector sum (gradients × samples
 * in synchronous rounds; weights, buffers and optimizer slots in averaging rounds), the loss sum,
 * the samples seen, the correct predictions, the number of workers that contributed and the
 * slowest one's time. Sums are
 * in double (and added in a fixed order), so the float result does not depend on how many
 * partitions there are beyond rounding once.
 */
final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Null in an empty sum, so that one costs nothing to ship. */
    double[] sum;
    double loss;
    long samples, correct;
    int workers;
    /** The slowest contributing worker's time in the round (the rest of a round is Spark's). */
    long workerNanos;

    /** The zero value of an aggregation. */
    Partial() {}

    Partial(int size) {
        this.sum = new double[size];
    }

    Partial add(Partial o) {
        if (o.sum != null) {
            if (sum == null) {
                sum = o.sum.clone();
            } else {
                if (o.sum.length != sum.length) throw new IllegalStateException("partials of " + sum.length + " and " + o.sum.length + " values");
                for (int i = 0; i < sum.length; i++) sum[i] += o.sum[i];
            }
        }
        loss += o.loss;
        samples += o.samples;
        correct += o.correct;
        workers += o.workers;
        workerNanos = Math.max(workerNanos, o.workerNanos);
        return this;
    }
}
