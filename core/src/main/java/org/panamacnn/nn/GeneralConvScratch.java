package org.panamacnn.nn;

/**
 * One thread's scratch for {@link GeneralConv2d}'s image groups: the column matrix, the group's
 * output (or output gradient) and the column gradient. Grown on demand and reused; a thread runs
 * one chunk task at a time and layers run one after another, so no two users hold them at once.
 */
final class GeneralConvScratch {
    private static final ThreadLocal<GeneralConvScratch> PER_THREAD = ThreadLocal.withInitial(GeneralConvScratch::new);

    float[] cols = new float[0], out = new float[0], grad = new float[0];

    private GeneralConvScratch() {}

    static GeneralConvScratch forCurrentThread() {
        return PER_THREAD.get();
    }

    /** a when it holds at least size floats, else a new array of size floats (contents not kept). */
    static float[] atLeast(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }
}
