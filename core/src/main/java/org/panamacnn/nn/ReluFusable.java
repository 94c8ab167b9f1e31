package org.panamacnn.nn;

/**
 * A layer that can apply ReLU to its own output as it stores it (in the GEMM epilogue), so a
 * following {@link ReLU} needs no pass of its own. {@link Sequential} fuses such pairs.
 */
public interface ReluFusable {
    /** From now on the layer's output is max(output, 0). */
    void fuseRelu();
}
