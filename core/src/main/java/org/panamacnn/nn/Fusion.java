package org.panamacnn.nn;

import java.util.List;

/**
 * The training-time fusions, planned once over a graph of built layers: a ReLU whose input is a
 * convolution or dense layer feeding nothing else is done in that layer's GEMM epilogue, and when
 * the ReLU itself feeds only a max-pool, its backward (the mask) is applied by the pool — and a
 * convolution does that pool's forward as well, on each group's output while it is in cache. Sole
 * consumers are what make this exact: nobody else sees the un-rectified values or the unmasked
 * gradient. {@link Sequential} and {@link Residual} paths are chains; {@link Graph} is the general case.
 */
final class Fusion {
    /**
     * conv → ReLU → max-pool: the convolution pools each group's output while it is in cache
     * (Conv2d.poolInto), so the full-size activation is never written and read back.
     * {@code -Dpanamacnn.poolInConvolution=false} turns it off (for comparisons).
     */
    private static final boolean POOL_IN_CONVOLUTION = Boolean.parseBoolean(System.getProperty("panamacnn.poolInConvolution", "true"));

    private Fusion() {}

    /** A graph of nodes 0..size−1 seen by the planner. */
    interface View {
        int size();

        /** The layer of node i, or null for a merge node. */
        Layer layer(int i);

        /** The one node that reads node i's output, or −1 when none or several do. */
        int soleConsumer(int i);
    }

    static void apply(View graph) {
        for (int i = 0; i < graph.size(); i++) {
            int r = graph.soleConsumer(i);
            if (r < 0 || !(graph.layer(i) instanceof ReluFusable f) || !(graph.layer(r) instanceof ReLU relu)) continue;
            f.fuseRelu();
            relu.fuseIntoPrevious();
            int p = graph.soleConsumer(r);
            if (p >= 0 && graph.layer(p) instanceof MaxPool2d pool) {
                pool.takeOverReluBackward();
                relu.backwardDoneByNext();
                if (graph.layer(i) instanceof Conv2d conv && POOL_IN_CONVOLUTION) {
                    conv.poolInto(pool);
                    pool.poolInsideConvolution();
                    relu.betweenFusedConvolutionAndPool();
                }
            }
        }
    }

    /** Layers applied in order: node i feeds node i + 1 only. */
    static void applyToChain(List<Layer> layers) {
        apply(new View() {
            @Override
            public int size() {
                return layers.size();
            }

            @Override
            public Layer layer(int i) {
                return layers.get(i);
            }

            @Override
            public int soleConsumer(int i) {
                return i + 1 < layers.size() ? i + 1 : -1;
            }
        });
    }
}
