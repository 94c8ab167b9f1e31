package org.panamacnn.simd;

/**
 * A GEMM's B operand that is never written out as a matrix: the GEMM packs its panels straight
 * from where the values live ({@link Gemm#gemm(int, float, float[], int, int, ColumnSource, float,
 * float[], int, int, GemmEpilogue, GemmWorkspace, TaskRunner)}). Two kinds: the forward columns of a
 * group of images ({@link ImageColumns}) and the weight gradient's pixel-by-tap rows of
 * channel-blocked images ({@link ImageTaps}).
 */
public abstract sealed class ColumnSource permits ImageColumns, ImageTaps {
    ColumnSource() {}

    /** Rows of the matrix (the product's K). */
    public abstract int rows();

    /** Columns of the matrix (the product's N). */
    public abstract int columns();

    /** Element (row, col) of the matrix. */
    abstract float value(int row, int col);

    /**
     * Packs rows [pc, pc + kc) × columns [jc, jc + nc) into nr-column panels at
     * pb[pbOff + jr·kc + p·nr + j], columns past nc zero (Vector API families only).
     */
    abstract void pack(int pc, int jc, int kc, int nc, int nr, float[] pb, int pbOff, GemmWorkspace ws);

    /** Writes rows [p0, p0 + kc) × columns [j0, j0 + nc) to dst (row p at dstOff + (p − p0)·ldd). */
    final void lower(int p0, int kc, int j0, int nc, float[] dst, int dstOff, int ldd) {
        for (int p = 0; p < kc; p++) {
            for (int j = 0; j < nc; j++) dst[dstOff + p * ldd + j] = value(p0 + p, j0 + j);
        }
    }

    /** Drops the reference to the images. */
    abstract void clear();
}
