package org.panamacnn.spark;

import java.io.Serializable;

/**
 * What workers send back in a round and treeAggregate adds up: a vector sum (gradients × samples
 * in synchronous rounds; weights, buffers and optimizer slots in averaging rounds), the loss sum,
 * the samples seen, the correct predictions and the number of workers that contributed. Sums are
 * in double: with a handful of float terms the double sum is exact in practice, so the order in
 * which Spark combines partitions does not change the float result.
 */
final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Null in the zero value: treeAggregate ships its zero value inside every task, so it must be small. */
    double[] sum;
    double loss;
    long samples, correct;
    int workers;

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
        return this;
    }
}
