package org.panamacnn.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * The training-time fusions, planned once over a graph of built layers: a ReLU whose input is a
 * convolution or dense layer feeding nothing else is done in that layer's GEMM epilogue (after a
 * batch norm, in the normalisation's pass, and after a residual block, in its sum; those two
 * also mask the ReLU's gradient), and when
 * the ReLU itself feeds only a max-pool, its backward (the mask) is applied by the pool. When that
 * layer is a convolution, the three run as one step ({@link PooledConvolution}) in place of the
 * layers: the convolution pools each group's output while it is in cache. Sole consumers are
 * what make this exact: nobody else sees the un-rectified values, the unpooled activation or the
 * unmasked gradient. {@link Sequential} and {@link Residual} paths are chains; {@link Graph} is
 * the general case.
 */
final class Fusion {
    private Fusion() {}

    /** A graph of nodes 0..size−1 seen by the planner. */
    interface View {
        int size();

        /** The layer of node i, or null for a merge node. */
        Layer layer(int i);

        /** The one node that reads node i's output, or −1 when none or several do. */
        int soleConsumer(int i);
    }

    /**
     * What runs at each node once the fusions are planned: step(k) is node k's layer, a fused step
     * standing for node k and the nodes after it up to outputOf(k), or null at a node that a fused
     * step does (and at merge nodes, which the graph runs itself).
     */
    record Plan(Step[] steps, int[] outputOf) {
        Step step(int k) {
            return steps[k];
        }

        /** The node whose output node k's step produces: k itself unless the step is fused. */
        int outputOf(int k) {
            return outputOf[k];
        }
    }

    static Plan plan(View graph, EngineOptions options) {
        int n = graph.size();
        Step[] steps = new Step[n];
        int[] outputOf = new int[n];
        for (int i = 0; i < n; i++) {
            steps[i] = graph.layer(i);
            outputOf[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int r = graph.soleConsumer(i);
            if (r < 0 || !(graph.layer(i) instanceof ReluFusable f) || !(graph.layer(r) instanceof ReLU relu)) continue;
            f.fuseRelu();
            relu.fuseIntoPrevious();
            if (f.masksOwnGradient()) { // batch norm, a residual block
                relu.backwardDoneElsewhere();
                continue;
            }
            int p = graph.soleConsumer(r);
            if (p < 0 || !(graph.layer(p) instanceof MaxPool2d pool)) continue;
            if (graph.layer(i) instanceof Conv2d conv && options.poolInConvolution()) { // the full-size activation is never written
                steps[i] = new PooledConvolution(conv, relu, pool);
                outputOf[i] = p;
                steps[r] = steps[p] = null;
            } else {
                pool.takeOverReluBackward();
                relu.backwardDoneByNext();
            }
        }
        return new Plan(steps, outputOf);
    }

    /** The steps that run a chain of layers (node i feeds node i + 1 only), in order. */
    static List<Step> planChain(List<Layer> layers, EngineOptions options) {
        Plan plan = plan(new View() {
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
        }, options);
        List<Step> steps = new ArrayList<>();
        for (Step step : plan.steps()) if (step != null) steps.add(step);
        return List.copyOf(steps);
    }
}
