package org.panamacnn.simd;

import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

/**
 * Decides, once per JVM (at class initialisation), which family of kernels runs, and logs it once.
 * Every kernel facade ({@link Gemm}, {@link Relu}, ...) branches on {@link #VECTORIZED}, a
 * constant C2 folds, to its Vector* or Scalar* implementation; HotSpot resolves classes lazily, so
 * without the Vector API no Vector* class is ever loaded. The model is Lucene's
 * VectorizationProvider.
 *
 * <p>The Vector API kernels need the {@code jdk.incubator.vector} module in the boot layer
 * ({@code --add-modules=jdk.incubator.vector}, which {@code jvm.config} and the launcher pass);
 * their vector width is the one the JVM prefers on this CPU (512-bit on AVX-512, 256-bit on AVX2 or
 * with {@code -XX:UseAVX=2} / {@code -XX:MaxVectorSize=32}), and the GEMM tile follows from it.
 * Without the module, or with {@code -Dpanamacnn.kernels=scalar}, the plain-Java kernels run:
 * the same functions, slower.
 *
 * <p>The kernel-level system properties are read here and nowhere else:
 * <ul>
 * <li>{@code panamacnn.kernels}: {@code auto} (default: Vector API when loaded), {@code vector}
 * (fail unless loaded) or {@code scalar};
 * <li>{@code panamacnn.gemm.mr}: GEMM tile rows, 4 or 8 (default 8 with 512-bit vectors, else 4);
 * <li>{@code panamacnn.gemm.kc}: the GEMM's largest K block, ≥ 1 (default 1024 with 8 rows, else 320);
 * <li>{@code panamacnn.gemm.directB}: read a large B in place, true (default) or false;
 * <li>{@code panamacnn.scalarPackA}: pack A without register transposes, true or false (default).
 * </ul>
 */
public final class KernelProvider {
    private static final String MODULE = "jdk.incubator.vector";

    /** The family this JVM runs. */
    public static final KernelFamily FAMILY = choose(System::getProperty, vectorApiLoaded(), KernelProvider::preferredBits);

    /** Whether the Vector API kernels run (a constant: C2 keeps one branch of every facade). */
    public static final boolean VECTORIZED = FAMILY.vectorized();
    /** Floats per vector, the unit of packed layouts ({@link KernelFamily#lanes()}). */
    public static final int LANES = FAMILY.lanes();
    static final int GEMM_MR = FAMILY.gemmRows();
    static final int GEMM_KC = FAMILY.gemmKc();
    static final boolean GEMM_DIRECT_B = FAMILY.directB();
    static final boolean SCALAR_PACK_A = FAMILY.scalarPackA();

    static {
        System.getLogger(KernelProvider.class.getName()).log(System.Logger.Level.INFO, "panama-cnn kernels: " + FAMILY.description());
    }

    private KernelProvider() {}

    /** Whether the Vector API module is loaded in this JVM. */
    public static boolean vectorApiLoaded() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /**
     * The kernel family, e.g. "Vector API 512-bit, GEMM 8x2 vectors, KC 1024" or "plain Java (...)",
     * for logs, test failures and reports.
     */
    public static String description() {
        return FAMILY.description();
    }

    /** Only called with the module loaded: the Vector* class it names is not loaded otherwise. */
    private static int preferredBits() {
        return VectorPreferred.bits();
    }

    /**
     * The family for these property values (property name → value or null), whether the Vector
     * API module is loaded, and the preferred vector width (asked only if it is). Throws
     * IllegalArgumentException for a value it does not know, IllegalStateException when the
     * Vector API is required but absent.
     */
    static KernelFamily choose(UnaryOperator<String> properties, boolean moduleLoaded, IntSupplier vectorBits) {
        String kernels = properties.apply("panamacnn.kernels");
        String mode = kernels == null ? "auto" : kernels.trim().toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("auto") && !mode.equals("vector") && !mode.equals("scalar")) {
            throw new IllegalArgumentException("-Dpanamacnn.kernels must be auto, vector or scalar, got '" + kernels + "'");
        }
        String mr = properties.apply("panamacnn.gemm.mr");
        if (mr != null && !mr.equals("4") && !mr.equals("8")) {
            throw new IllegalArgumentException("-Dpanamacnn.gemm.mr must be 4 or 8, got '" + mr + "'");
        }
        Integer kc = positiveInt(properties, "panamacnn.gemm.kc");
        boolean directB = bool(properties, "panamacnn.gemm.directB", true);
        boolean scalarPackA = bool(properties, "panamacnn.scalarPackA", false);
        if (mode.equals("scalar")) {
            return plainJava(directB, scalarPackA, "-Dpanamacnn.kernels=scalar");
        }
        if (!moduleLoaded) {
            if (mode.equals("vector")) {
                throw new IllegalStateException("-Dpanamacnn.kernels=vector, but " + MODULE
                        + " is not loaded: start the JVM with --add-modules=" + MODULE);
            }
            return plainJava(directB, scalarPackA, MODULE + " not loaded; start the JVM with --add-modules=" + MODULE
                    + " for the vectorized kernels");
        }
        int bits = vectorBits.getAsInt();
        // 256 bits (AVX2, 16 registers): 4 rows × 2 vectors = 8 accumulators; 512 bits (AVX-512,
        // 32 registers): 8 rows × 2 vectors = 16 (see VectorGemmKernel.MR).
        int rows = mr != null ? Integer.parseInt(mr) : bits >= 512 ? 8 : 4;
        // 8 rows: a 128 KB B micro-panel streamed from L2; 4 rows: 20 KB kept in L1 (see VectorGemmKernel.KC).
        int kBlock = kc != null ? kc : rows == 8 ? 1024 : 320;
        return new KernelFamily(true, bits, bits / Float.SIZE, rows, kBlock, directB, scalarPackA, null);
    }

    private static KernelFamily plainJava(boolean directB, boolean scalarPackA, String reason) {
        return new KernelFamily(false, 0, KernelFamily.SCALAR_LANES, 0, 0, directB, scalarPackA, reason);
    }

    private static Integer positiveInt(UnaryOperator<String> properties, String name) {
        String value = properties.apply(name);
        if (value == null) return null;
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= 1) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + name + " must be a positive integer, got '" + value + "'");
    }

    private static boolean bool(UnaryOperator<String> properties, String name, boolean otherwise) {
        String value = properties.apply(name);
        if (value == null) return otherwise;
        if (value.equalsIgnoreCase("true")) return true;
        if (value.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("-D" + name + " must be true or false, got '" + value + "'");
    }
}
