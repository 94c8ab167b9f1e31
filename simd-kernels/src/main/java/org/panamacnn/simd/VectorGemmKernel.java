package org.panamacnn.simd;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The blocked loops, the packing routines and the MR×NR register-tiled micro-kernel behind
 * {@link Gemm}. Arguments are checked by {@link Gemm}; nothing here checks again.
 */
final class VectorGemmKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /**
     * Rows of the register tile, chosen from the vector width the JVM reports. 256 bits (AVX2, 16
     * registers): 4 rows × 2 vectors = 8 accumulators, plus 2 B vectors and a broadcast, fit with
     * room to spare; with 6 rows (12 accumulators) C2 spills one accumulator to the stack inside
     * the K loop and the kernel runs at half speed (measured: 94 vs 44 GFLOP/s on one Zen 3 core).
     * 512 bits (AVX-512, 32 registers): 8 rows × 2 vectors = 16 accumulators, so each B vector
     * loaded feeds 8 FMAs instead of 4 (Zen 5: 1024³ on one core 177 → see the README).
     * {@code -XX:MaxVectorSize=32} on an AVX-512 machine selects the 256-bit kernel (tested so).
     * {@code -Dpanamacnn.gemm.mr=4|8} ({@link KernelProvider}) forces a tile height, so every kernel can be tested (and
     * timed) on any machine.
     */
    static final int MR = KernelProvider.GEMM_MR;
    /**
     * Whether A panels are packed two at a time by {@link VectorPanelTranspose#panelPairA}: needs
     * 2·MR = L lanes, and 16 of them. The 8-lane form (4-row tile, 256-bit) was too large for C1:
     * its tier-3 compile fails ("out of virtual registers"); 8 lanes use {@link #QUAD_A_PANELS}.
     */
    private static final boolean PAIRED_A_PANELS = VectorPanelTranspose.SUPPORTED && 2 * MR == L && L == 16
            && !KernelProvider.SCALAR_PACK_A;
    /** Whether 4-row A panels are packed by {@link VectorPanelTranspose#panelA4}'s interleaves: the 4-row tile on 8 lanes. */
    private static final boolean QUAD_A_PANELS = L == 8 && MR == 4 && !KernelProvider.SCALAR_PACK_A;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /**
     * Largest K block. K is cut into equal blocks no larger than this (288 = one block of 288, not
     * 256 + 32, so no block is too short to pay for itself). Each K block loads and stores the
     * whole of C once more, so the longer the blocks the better, as long as the B micro-panel
     * (KC·NR floats) is fed fast enough from where it lives:
     * <ul>
     * <li>8-row tile (512-bit): 1024. The micro-panel (128 KB) no longer fits L1 and streams from
     * L2, at 2 vectors per 16 FMAs = 16 B/cycle, well within what any AVX-512 core's L2 delivers.
     * Measured on Zen 5 (1024³, both sizes interleaved call by call in one JVM through an
     * experiment's hook, medians; -Dpanamacnn.gemm.kc in alternating processes agrees):
     * 5.41–6.22 ms against 5.62–6.96 ms with 320 on 2 threads, and 10.65–11.48 against
     * 11.03–12.95 ms on 1; the more other tenants load the host's L3, the larger the gain.
     * <li>4-row tile (256-bit): 320, so the micro-panel (20 KB) stays in L1: this tile takes
     * 2 vectors per 8 FMAs, 32 B/cycle, all a Zen 3 core's L2 can give.
     * </ul>
     * {@code -Dpanamacnn.gemm.kc} overrides it (for experiments).
     */
    static final int KC = KernelProvider.GEMM_KC;
    /**
     * M block: 96 rows, so the packed MC×KC block of A plus one B micro-panel take at most half of
     * a 1 MB L2 (Zen 4 and 5; Sapphire Rapids has 2 MB) with the 8-row tile, and under half of
     * Zen 3's 512 KB with the 4-row one. (At KC = 1024, 96 rows ran 0–2% faster than 160 or 192.)
     */
    static final int MC = 96;
    /**
     * N block of the one-thread split, and the most columns per task in the column split: each
     * packs a KC×≤1024 block of B (4 MB at KC = 1024) in its own workspace, and a 12,544-column
     * product gives 13 column tasks, which balance over a few threads.
     */
    static final int NC = 1024;
    /**
     * A B that is not transposed is read in place by the micro-kernel, row by row at its own
     * stride, instead of being packed, when A has at most DIRECT_B_MAX_ROWS rows and B at least
     * DIRECT_B_MIN_FLOATS (4 MB, more than any L2 here). Then each B panel serves only a few
     * micro-kernels, and B comes from L3 or memory either way: packing it would write all of it
     * and read it again. 64×288×12544 on Zen 5: 2.56–2.63 ms in place against 2.77–2.86 packed
     * on one thread, 1.26 against 1.41 on two. With many rows (288×64×12544, 1024³) packing
     * wins, and so it does for a B already in cache (a training step's convolution columns,
     * 1.8 MB: 3% slower in place). Ragged last panels are still packed.
     * {@code -Dpanamacnn.gemm.directB=false} turns it off (for A/B runs).
     */
    static final int DIRECT_B_MAX_ROWS = 64;
    static final long DIRECT_B_MIN_FLOATS = 1 << 20;
    static final boolean DIRECT_B = KernelProvider.GEMM_DIRECT_B;

    private VectorGemmKernel() {}

    /**
     * The blocked product, in one of two splits; both depend on the shape and the runner's
     * parallelism alone, and compute every element of C with the same sequence of operations, so
     * any runner, and any thread count, gives the same bits.
     * <ul>
     * <li>One thread (or a single column block): for each KC×NC block of op(B), pack it once,
     * then one MC row block after another packs its A block.
     * <li>A parallel runner: tasks are blocks of columns, each running the whole K loop on its own
     * packed B and A, so there is no barrier per K block and no serial packing of a shared B.
     * (Row blocks sharing one packed B, the earlier split for many rows, packed B on the calling
     * thread alone: 1024³ on 2 Zen 5 cores ran at 290 GFLOP/s that way, 361 this way.)
     * </ul>
     * The loop state lives in the caller's reusable {@link Job}, so a call allocates nothing.
     */
    static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                    boolean accumulate, float[] c, int cOff, int ldc,
                    GemmEpilogue epilogue, GemmWorkspace ws, TaskRunner runner) {
        run(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, null, accumulate, c, cOff, ldc, epilogue, ws, runner);
    }

    /** As above with B packed from where its values live (b null, not transposed; {@link ColumnSource}). */
    static void run(int m, int n, int k, float alpha, float[] a, int aOff, int lda, ColumnSource imageB,
                    boolean accumulate, float[] c, int cOff, int ldc,
                    GemmEpilogue epilogue, GemmWorkspace ws, TaskRunner runner) {
        run(false, false, m, n, k, alpha, a, aOff, lda, null, 0, 0, imageB, accumulate, c, cOff, ldc, epilogue, ws, runner);
    }

    private static void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, ColumnSource imageB,
                            boolean accumulate, float[] c, int cOff, int ldc,
                            GemmEpilogue epilogue, GemmWorkspace ws, TaskRunner runner) {
        Job job = ws.job;
        job.set(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, epilogue, ws.packedB);
        job.imageB = imageB;
        job.directB = imageB == null && DIRECT_B && !transB && m <= DIRECT_B_MAX_ROWS && (long) k * n >= DIRECT_B_MIN_FLOATS;
        try {
            int rowBlocks = (m + MC - 1) / MC;
            job.kBlock = evenBlock(k, KC);
            job.accumulate = accumulate;
            boolean serial = runner.parallelism() == 1;
            if (!serial) {
                int panels = (n + NR - 1) / NR;
                // One block per thread at least; each block packs all of A again, so no more than
                // that unless the columns are many.
                int wanted = Math.max(runner.parallelism(), (n + NC - 1) / NC);
                job.panelsPerBlock = (panels + wanted - 1) / wanted;
                int blocks = (panels + job.panelsPerBlock - 1) / job.panelsPerBlock;
                if (blocks > 1) {
                    runner.forEach(blocks, job.columnBlockTask);
                    return;
                }
            }
            for (int jc = 0; jc < n; jc += NC) {
                job.jc = jc;
                job.nc = Math.min(NC, n - jc);
                for (int pc = 0; pc < k; pc += job.kBlock) {
                    job.pc = pc;
                    job.kc = Math.min(job.kBlock, k - pc);
                    job.acc = accumulate || pc > 0;
                    job.last = pc + job.kc == k;
                    packBPanels(job.directB, transB, b, bOff, ldb, imageB, pc, jc, job.kc, job.nc, job.pb, ws);
                    if (serial) {
                        for (int t = 0; t < rowBlocks; t++) job.rowBlock(t);
                    } else {
                        runner.forEach(rowBlocks, job.rowBlockTask);
                    }
                }
            }
        } finally {
            job.clear();
        }
    }

    /** One GEMM call's arguments and loop state, reused call after call (one per workspace). */
    static final class Job {
        final IntConsumer rowBlockTask = this::rowBlock;
        final IntConsumer columnBlockTask = this::columnBlock;
        private boolean transA, transB, acc, last, accumulate, directB;
        private int m, nAll, k, aOff, lda, bOff, ldb, cOff, ldc, kBlock;
        private float alpha;
        private float[] a, b, c, pb;
        /** B packed from its source (images); null for a B matrix. */
        private ColumnSource imageB;
        private GemmEpilogue epilogue;
        int panelsPerBlock, jc, nc, pc, kc;

        void set(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, GemmEpilogue epilogue, float[] pb) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.nAll = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.epilogue = epilogue;
            this.pb = pb;
        }

        /** Drops the references to the caller's arrays. */
        void clear() {
            a = b = c = pb = null;
            imageB = null;
            epilogue = null;
        }

        /**
         * Task t of the column-block split: C[:, t·w .. (t+1)·w) for w = panelsPerBlock·NR, the
         * whole K loop, packing B and A in this thread's workspace. Reads only fields set before
         * the tasks start.
         */
        void columnBlock(int t) {
            int from = t * panelsPerBlock * NR, to = Math.min(nAll, from + panelsPerBlock * NR);
            GemmWorkspace mine = GemmWorkspace.forCurrentThread();
            for (int p0 = 0; p0 < k; p0 += kBlock) {
                int kcb = Math.min(kBlock, k - p0);
                boolean lastBlock = p0 + kcb == k;
                packBPanels(directB, transB, b, bOff, ldb, imageB, p0, from, kcb, to - from, mine.packedB, mine);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, alpha, a, aOff, lda, ic, p0, mc, kcb, mine.packedA);
                    macroKernel(kcb, mc, 0, to - from, mine.packedA, mine.packedB,
                            directB ? b : null, bOff + p0 * ldb + from, ldb, accumulate || p0 > 0,
                            c, cOff + ic * ldc + from, ldc, mine.tile, lastBlock ? epilogue : null, ic, from);
                }
            }
        }

        /** Task t of the row-block split: rows [t·MC, (t+1)·MC) of the current K×N block, on the shared packed B. */
        void rowBlock(int t) {
            int ic = t * MC;
            int mc = Math.min(MC, m - ic);
            GemmWorkspace mine = GemmWorkspace.forCurrentThread();
            packA(transA, alpha, a, aOff, lda, ic, pc, mc, kc, mine.packedA);
            macroKernel(kc, mc, 0, nc, mine.packedA, pb, directB ? b : null, bOff + pc * ldb + jc, ldb, acc,
                    c, cOff + ic * ldc + jc, ldc,
                    mine.tile, last ? epilogue : null, ic, jc);
        }
    }

    /** The size of ceil(n / max) equal blocks covering n. */
    static int evenBlock(int n, int max) {
        int blocks = (n + max - 1) / max;
        return (n + blocks - 1) / blocks;
    }

    /**
     * C[0..mc, from..to) (+)= packedA · B panels from..to; then the epilogue, if any, on each
     * finished tile. The panels are packed in pb, except, when b is not null, the full ones, which
     * are read in place: panel jr's row p at b[bPanel0 + jr + p·ldb].
     */
    private static void macroKernel(int kc, int mc, int from, int to, float[] pa, float[] pb,
                                    float[] b, int bPanel0, int ldb, boolean acc,
                                    float[] c, int cOff, int ldc, float[] tile,
                                    GemmEpilogue epilogue, int row0, int col0) {
        for (int jr = from; jr < to; jr += NR) {
            int cols = Math.min(NR, to - jr);
            boolean direct = b != null && cols == NR;
            float[] panel = direct ? b : pb;
            int pbOff = direct ? bPanel0 + jr : jr * kc, ldpb = direct ? ldb : NR;
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int paOff = ir * kc;
                int cTile = cOff + ir * ldc + jr;
                if (rows == MR && cols == NR) {
                    microKernel(kc, pa, paOff, panel, pbOff, ldpb, c, cTile, ldc, acc);
                } else {
                    microKernel(kc, pa, paOff, panel, pbOff, ldpb, tile, 0, NR, false);
                    for (int i = 0; i < rows; i++) {
                        int dst = cTile + i * ldc;
                        if (acc) VectorBlas1.addUnchecked(cols, tile, i * NR, c, dst);
                        else System.arraycopy(tile, i * NR, c, dst, cols);
                    }
                }
                if (epilogue != null && !epilogue.isNone()) {
                    epilogue.apply(c, cTile, ldc, rows, cols, row0 + ir, col0 + jr);
                }
            }
        }
    }

    /** The tile of this machine's height (MR is a constant, so C2 keeps one branch). */
    private static void microKernel(int kc, float[] pa, int paOff, float[] pb, int pbOff, int ldpb, float[] c, int cOff, int ldc, boolean acc) {
        if (MR == 8) microKernel8(kc, pa, paOff, pb, pbOff, ldpb, c, cOff, ldc, acc);
        else microKernel4(kc, pa, paOff, pb, pbOff, ldpb, c, cOff, ldc, acc);
    }

    /** C[0..4, 0..NR) (+)= Σ_p packedA[p][0..4] ⊗ packedB[p][0..NR]: 8 accumulators stay in registers for the whole K loop. */
    private static void microKernel4(int kc, float[] pa, int paOff, float[] pb, int pbOff, int ldpb, float[] c, int cOff, int ldc, boolean acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int bi = pbOff + p * ldpb;
            int ai = paOff + p * 4;
            FloatVector b0 = FloatVector.fromArray(F, pb, bi);
            FloatVector b1 = FloatVector.fromArray(F, pb, bi + L);
            FloatVector a0 = FloatVector.broadcast(F, pa[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, pa[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, pa[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, pa[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        // Stored here, not through a helper: a vector passed to a call C2 does not inline is boxed.
        if (acc) {
            c00 = c00.add(FloatVector.fromArray(F, c, cOff));
            c01 = c01.add(FloatVector.fromArray(F, c, cOff + L));
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        if (acc) {
            c10 = c10.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + L));
        }
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + L);
        if (acc) {
            c20 = c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + L));
        }
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        if (acc) {
            c30 = c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + L));
        }
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
    }

    /** C[0..8, 0..NR) (+)= Σ_p packedA[p][0..8] ⊗ packedB[p][0..NR]: 16 accumulators stay in registers for the whole K loop. */
    private static void microKernel8(int kc, float[] pa, int paOff, float[] pb, int pbOff, int ldpb, float[] c, int cOff, int ldc, boolean acc) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
        FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
        for (int p = 0; p < kc; p++) {
            int bi = pbOff + p * ldpb;
            int ai = paOff + p * 8;
            FloatVector b0 = FloatVector.fromArray(F, pb, bi);
            FloatVector b1 = FloatVector.fromArray(F, pb, bi + L);
            FloatVector a0 = FloatVector.broadcast(F, pa[ai + 0]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(F, pa[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(F, pa[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(F, pa[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(F, pa[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(F, pa[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(F, pa[ai + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(F, pa[ai + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
        }
        // Stored here, not through a helper: a vector passed to a call C2 does not inline is boxed.
        if (acc) {
            c00 = c00.add(FloatVector.fromArray(F, c, cOff));
            c01 = c01.add(FloatVector.fromArray(F, c, cOff + L));
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        if (acc) {
            c10 = c10.add(FloatVector.fromArray(F, c, cOff + 1 * ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, cOff + 1 * ldc + L));
        }
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + L);
        if (acc) {
            c20 = c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + L));
        }
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        if (acc) {
            c30 = c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + L));
        }
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        if (acc) {
            c40 = c40.add(FloatVector.fromArray(F, c, cOff + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(F, c, cOff + 4 * ldc + L));
        }
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        if (acc) {
            c50 = c50.add(FloatVector.fromArray(F, c, cOff + 5 * ldc));
            c51 = c51.add(FloatVector.fromArray(F, c, cOff + 5 * ldc + L));
        }
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
        if (acc) {
            c60 = c60.add(FloatVector.fromArray(F, c, cOff + 6 * ldc));
            c61 = c61.add(FloatVector.fromArray(F, c, cOff + 6 * ldc + L));
        }
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        if (acc) {
            c70 = c70.add(FloatVector.fromArray(F, c, cOff + 7 * ldc));
            c71 = c71.add(FloatVector.fromArray(F, c, cOff + 7 * ldc + L));
        }
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
    }

    /**
     * Packs rows [ic, ic+mc) × columns [pc, pc+kc) of op(A), times α, into MR-row panels laid
     * out [panel][p][MR]; rows past mc are zero so the micro-kernel never needs a row tail.
     */
    private static void packA(boolean transA, float alpha, float[] a, int aOff, int lda,
                              int ic, int pc, int mc, int kc, float[] pa) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (!transA && alpha == 1f && PAIRED_A_PANELS && ir + 2 * MR <= mc) {
                // this panel and the next from 2·MR = L rows with transposes in registers (moves only)
                int done = VectorPanelTranspose.panelPairA(a, aOff + (ic + ir) * lda + pc, lda, kc, pa, base, base + MR * kc);
                for (int i = 0; i < 2 * MR; i++) {
                    int src = aOff + (ic + ir + i) * lda + pc, dst = base + (i / MR) * MR * kc + i % MR;
                    for (int p = done; p < kc; p++) pa[dst + p * MR] = a[src + p];
                }
                ir += MR;  // the next panel is packed too
                continue;
            }
            if (!transA && alpha == 1f && QUAD_A_PANELS && rows == MR) {
                int src = aOff + (ic + ir) * lda + pc;
                int done = VectorPanelTranspose.panelA4(a, src, lda, kc, pa, base);
                for (int i = 0; i < MR; i++) {
                    for (int p = done; p < kc; p++) pa[base + p * MR + i] = a[src + i * lda + p];
                }
                continue;
            }
            for (int i = 0; i < MR; i++) {
                if (i >= rows) {
                    for (int p = 0; p < kc; p++) pa[base + p * MR + i] = 0f;
                } else if (!transA) {
                    int src = aOff + (ic + ir + i) * lda + pc;
                    for (int p = 0; p < kc; p++) pa[base + p * MR + i] = alpha * a[src + p];
                } else {
                    int src = aOff + pc * lda + ic + ir + i;
                    for (int p = 0; p < kc; p++) pa[base + p * MR + i] = alpha * a[src + p * lda];
                }
            }
        }
    }

    /**
     * Packs B's panels for macroKernel: all of them (from their source when imageB is set), or when B
     * is read in place (direct) only a ragged last panel. ws is the packing thread's workspace.
     */
    private static void packBPanels(boolean direct, boolean transB, float[] b, int bOff, int ldb, ColumnSource imageB,
                                    int pc, int jc, int kc, int nc, float[] pb, GemmWorkspace ws) {
        if (imageB != null) {
            imageB.pack(pc, jc, kc, nc, NR, pb, 0, ws);
            return;
        }
        if (!direct) {
            packB(transB, b, bOff, ldb, pc, jc, kc, nc, pb, 0);
            return;
        }
        int full = nc / NR * NR;
        if (full < nc) packB(transB, b, bOff, ldb, pc, jc + full, kc, nc - full, pb, full * kc);
    }

    /**
     * Packs rows [pc, pc+kc) × columns [jc, jc+nc) of op(B) into NR-column panels laid out
     * [panel][p][NR]; columns past nc are zero.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb,
                              int pc, int jc, int kc, int nc, float[] pb, int pbOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int base = pbOff + jr * kc;
            if (!transB && cols == NR) {
                // Two vector copies per row: System.arraycopy's call costs more than 16 floats.
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr, dst = base + p * NR;
                    FloatVector.fromArray(F, b, src).intoArray(pb, dst);
                    FloatVector.fromArray(F, b, src + L).intoArray(pb, dst + L);
                }
            } else if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * NR;
                    System.arraycopy(b, bOff + (pc + p) * ldb + jc + jr, pb, dst, cols);
                    java.util.Arrays.fill(pb, dst + cols, dst + NR, 0f);
                }
            } else {
                // Transposed: whole L×L blocks of a full panel in registers, the rest one float at a time.
                int done = cols == NR && VectorPanelTranspose.SUPPORTED
                        ? VectorPanelTranspose.panel(b, bOff + (jc + jr) * ldb + pc, ldb, kc, pb, base) : 0;
                for (int j = 0; j < NR; j++) {
                    if (j >= cols) {
                        for (int p = 0; p < kc; p++) pb[base + p * NR + j] = 0f;
                    } else {
                        int src = bOff + (jc + jr + j) * ldb + pc;
                        for (int p = done; p < kc; p++) pb[base + p * NR + j] = b[src + p];
                    }
                }
            }
        }
    }
}
