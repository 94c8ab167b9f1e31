package org.panamacnn.bench;

import java.util.SplittableRandom;
import org.panamacnn.simd.ConvWeightGradient;
import org.panamacnn.simd.Gemm;

/**
 * Runs the hottest kernels long enough for C2 to compile them in their steady-state form, for
 * {@code scripts/disasm} to print and disassemble (a GEMM of the convolution forward's shape and
 * the few-channel weight gradient of the default network's first layer). Usage: HotKernels [seconds].
 */
public final class HotKernels {
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4;
        SplittableRandom r = new SplittableRandom(1);
        int m = 64, k = 288, n = 1568;
        float[] a = GemmBenchmark.random(m * k, r), b = GemmBenchmark.random(k * n, r), c = new float[m * n];
        int images = 8, h = 28, w = 28, cout = 32;
        float[] x = GemmBenchmark.random(images * h * w, r), dz = GemmBenchmark.random(images * cout * h * w, r);
        float[] dw = new float[cout * 9], work = new float[ConvWeightGradient.workLength(images, 1, h, w, 3, 1)];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        float sink = 0;
        while (System.nanoTime() < end) {
            Gemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            ConvWeightGradient.compute(images, x, 0, 1, h, w, 3, 1, dz, 0, cout, dw, 0, work);
            sink += c[7] + dw[3];
        }
        System.out.println("done " + sink);
    }
}
