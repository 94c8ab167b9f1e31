package org.panamacnn.simd;

/**
 * The packing buffers one GEMM call needs: an MC×KC block of A in MR-row panels, a KC×NC block
 * of B in NR-column panels and one MR×NR tile for edge tiles. Allocated once per thread and
 * reused, so a GEMM call allocates nothing. Not thread-safe: one workspace per thread.
 */
public final class GemmWorkspace {
    final float[] packedA = new float[GemmKernel.MC * GemmKernel.KC];
    final float[] packedB = new float[GemmKernel.KC * GemmKernel.NC];
    final float[] tile = new float[GemmKernel.MR * GemmKernel.NR];
    final GemmKernel.Job job = new GemmKernel.Job();

    private static final ThreadLocal<GemmWorkspace> PER_THREAD = ThreadLocal.withInitial(GemmWorkspace::new);

    /** The calling thread's workspace (created on its first use). */
    public static GemmWorkspace forCurrentThread() {
        return PER_THREAD.get();
    }
}
