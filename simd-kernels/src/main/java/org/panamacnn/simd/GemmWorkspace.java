package org.panamacnn.simd;

/**
 * The buffers one GEMM call needs, allocated once per thread and reused, so a GEMM call
 * allocates nothing. With the Vector API: an MC×KC block of A in MR-row panels, a KC×NC block of
 * B in NR-column panels and one MR×NR tile for edge tiles; in plain Java: one block of a row of C.
 * Not thread-safe: one workspace per thread.
 */
public final class GemmWorkspace {
    private static final boolean V = KernelProvider.VECTORIZED;
    final float[] packedA = new float[V ? VectorGemmKernel.MC * VectorGemmKernel.KC : 0];
    final float[] packedB = new float[V ? VectorGemmKernel.KC * VectorGemmKernel.NC : 0];
    final float[] tile = new float[V ? VectorGemmKernel.MR * VectorGemmKernel.NR : 0];
    final VectorGemmKernel.Job job = V ? new VectorGemmKernel.Job() : null;
    final float[] rowBlock = new float[V ? 0 : ScalarGemm.COLUMNS];
    final ScalarGemm.Job scalarJob = V ? null : new ScalarGemm.Job();
    /** Lane scratch for packing {@link ImageColumns} (Vector API). */
    final int[] laneRow = new int[V ? KernelProvider.LANES : 0], laneCol = new int[V ? KernelProvider.LANES : 0];
    /** Plain Java: {@link ImageColumns} written out as a matrix, grown on demand. */
    float[] lowered = new float[0];

    private static final ThreadLocal<GemmWorkspace> PER_THREAD = ThreadLocal.withInitial(GemmWorkspace::new);

    /** The calling thread's workspace (created on its first use). */
    public static GemmWorkspace forCurrentThread() {
        return PER_THREAD.get();
    }
}
