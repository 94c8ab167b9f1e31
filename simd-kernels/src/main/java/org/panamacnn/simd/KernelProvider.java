package org.panamacnn.simd;

/**
 * Decides, once per JVM, which family of kernels runs, and says so. The Vector API kernels need
 * the {@code jdk.incubator.vector} module in the boot layer ({@code --add-modules
 * jdk.incubator.vector}, which {@code jvm.config} and the launcher pass); their vector width is
 * the one the JVM prefers on this CPU (512-bit on AVX-512, 256-bit on AVX2 or with
 * {@code -XX:UseAVX=2} / {@code -XX:MaxVectorSize=32}), and the GEMM tile follows from it
 * ({@link Gemm#kernelName()}).
 */
public final class KernelProvider {
    private KernelProvider() {}

    /** Whether the Vector API module is loaded in this JVM. */
    public static boolean vectorApiLoaded() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** The kernel family, e.g. "Vector API: GEMM 8x2 vectors of 16 floats (512-bit)", for logs, test failures and reports. */
    public static String description() {
        return "Vector API: GEMM " + Gemm.kernelName();
    }
}
