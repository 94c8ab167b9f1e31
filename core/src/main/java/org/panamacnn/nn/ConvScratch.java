package org.panamacnn.nn;

import org.panamacnn.simd.ImageColumns;
import org.panamacnn.simd.ImageTaps;

/**
 * One thread's scratch matrices for convolution groups: a column matrix, an output
 * or output-gradient matrix, a column-gradient matrix and the direct weight gradient's planes. Grown on demand and then reused, and
 * shared by every {@link Conv2d}: a thread runs one chunk task at a time and layers run one after
 * another, so no two users hold them at once. Per thread rather than per chunk, so the memory
 * scales with the thread count, not with the batch split.
 */
final class ConvScratch {
    private static final ThreadLocal<ConvScratch> PER_THREAD = ThreadLocal.withInitial(ConvScratch::new);

    float[] cols = new float[0], out = new float[0], grad = new float[0];
    /** Zero-bordered input planes for a chunk's direct weight gradient. */
    float[] work = new float[0];
    /** The columns of a group's images, described for a GEMM that packs them itself (set per group). */
    final ImageColumns columns = new ImageColumns();
    /** A group's images channel-blocked for the weight gradient, and their taps described for its GEMM. */
    float[] blocked = new float[0];
    final ImageTaps taps = new ImageTaps();

    private ConvScratch() {}

    static ConvScratch forCurrentThread() {
        return PER_THREAD.get();
    }

    /** a when it holds at least size floats, else a new array of size floats (contents not kept). */
    static float[] atLeast(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }
}
