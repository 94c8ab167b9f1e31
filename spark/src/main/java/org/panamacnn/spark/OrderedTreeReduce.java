package org.panamacnn.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * Sums one {@link Partial} per partition over a tree whose shape and addition order are fixed by
 * the partition indices alone, so the result is the same float for float whatever the task
 * timing, retries or speculative copies.
 *
 * <p>Why not {@code treeAggregate}: it adds partial results in the order they arrive — its
 * intermediate levels use {@code foldByKey} (merge order = shuffle fetch order) and its last
 * level folds on the driver as tasks finish — and float addition is not associative, so two runs
 * (or a run with a retried task) could differ in the last bits and then drift apart. This does the
 * same tree: partition i's vector goes to group i / f at the first level (f = fan-in, chosen from
 * the depth as treeAggregate chooses its scale), each group sorts its members by index and adds
 * them left to right, and so on until at most f vectors remain; the driver collects those and adds
 * them in index order. Each vector crosses the network once per level: depth × model size into
 * the driver's side of the tree, not partitions × model size.
 */
final class OrderedTreeReduce {
    private OrderedTreeReduce() {}

    /** The fan-in for a tree of the given depth over n leaves: ceil(n^(1/depth)), at least 2. */
    static int fanIn(int n, int depth) {
        if (depth < 1) throw new IllegalArgumentException("tree depth must be at least 1, got " + depth);
        int f = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth) - 1e-9), 2);
        return f;
    }

    /** parts holds (partition index, partial) for indices 0..n-1, one each. */
    static Partial reduce(JavaPairRDD<Integer, Partial> parts, int n, int depth) {
        int f = fanIn(n, depth);
        JavaPairRDD<Integer, Partial> level = parts;
        int remaining = n;
        while (remaining > f) {
            int groups = (remaining + f - 1) / f;
            level = level.mapToPair(kv -> new Tuple2<>(kv._1() / f, kv))
                    .groupByKey(new HashPartitioner(groups))
                    .mapValues(OrderedTreeReduce::sumByIndex);
            remaining = groups;
        }
        List<Tuple2<Integer, Partial>> top = new ArrayList<>(level.collect());
        if (top.size() != remaining) {
            throw new IllegalStateException("expected " + remaining + " partial results, got " + top.size());
        }
        return sumByIndex(top);
    }

    private static Partial sumByIndex(Iterable<Tuple2<Integer, Partial>> members) {
        List<Tuple2<Integer, Partial>> sorted = new ArrayList<>();
        members.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(Tuple2::_1));
        List<Partial> parts = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0 && sorted.get(i)._1().equals(sorted.get(i - 1)._1())) {
                throw new IllegalStateException("two partial results for index " + sorted.get(i)._1());
            }
            parts.add(sorted.get(i)._2());
        }
        Partial sum = new Partial();
        for (Partial p : parts) sum.add(p);  // left to right, by partition index
        return sum;
    }
}
