package org.panamacnn.simd;

/**
 * One family of kernels and its tuning, as {@link KernelProvider} chose it: the Vector API kernels
 * at a vector width with a GEMM tile, or the plain-Java kernels.
 *
 * @param vectorized  whether the Vector API kernels run
 * @param vectorBits  bits of the preferred vector (0 for plain Java)
 * @param lanes       floats per vector: the unit of the packed layouts (weight panels of 2·lanes
 *                    output channels, Winograd tile channels); the plain-Java kernels use 8, the
 *                    layouts of 256-bit vectors
 * @param gemmRows    rows of the GEMM register tile, 4 or 8 (0 for plain Java)
 * @param gemmKc      the GEMM's largest K block (0 for plain Java)
 * @param directB     whether the GEMM reads a large non-transposed B in place
 * @param scalarPackA whether the GEMM packs A one float at a time even where registers could transpose it
 * @param reason      why plain Java was chosen (null when vectorized)
 */
public record KernelFamily(boolean vectorized, int vectorBits, int lanes, int gemmRows, int gemmKc, boolean directB,
                           boolean scalarPackA, String reason) {

    /** The layout unit of the plain-Java kernels: the 256-bit vector's 8 floats. */
    static final int SCALAR_LANES = 8;

    /** One line for a log, a report or a test failure. */
    public String description() {
        if (!vectorized) return "plain Java (" + reason + ")";
        StringBuilder s = new StringBuilder("Vector API " + vectorBits + "-bit, GEMM " + gemmRows + "x2 vectors, KC " + gemmKc);
        if (!directB) s.append(", B always packed");
        if (scalarPackA) s.append(", A packed by scalars");
        return s.toString();
    }
}
