package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** {@link KernelProvider#choose}: the family for each module state and property value, and the messages for bad values. */
class KernelProviderTest {

    /** A vector width that must not be asked for. */
    private static final IntSupplier NEVER = () -> {
        throw new AssertionError("the vector width was asked for without the Vector API");
    };

    private static KernelFamily choose(Map<String, String> properties, boolean loaded, int bits) {
        return KernelProvider.choose(properties::get, loaded, () -> bits);
    }

    @Test
    void theWidthChoosesTheGemmTile() {
        KernelFamily wide = choose(Map.of(), true, 512);
        assertEquals(new KernelFamily(true, 512, 16, 8, 1024, true, false, null), wide);
        assertEquals("Vector API 512-bit, GEMM 8x2 vectors, KC 1024", wide.description());
        KernelFamily narrow = choose(Map.of(), true, 256);
        assertEquals(new KernelFamily(true, 256, 8, 4, 320, true, false, null), narrow);
        assertEquals("Vector API 256-bit, GEMM 4x2 vectors, KC 320", narrow.description());
        assertTrue(choose(Map.of("panamacnn.kernels", "vector"), true, 256).vectorized());
        assertTrue(choose(Map.of("panamacnn.kernels", " Auto "), true, 256).vectorized());
    }

    @Test
    void propertiesOverrideTheTuning() {
        KernelFamily f = choose(Map.of("panamacnn.gemm.mr", "8", "panamacnn.gemm.directB", "false",
                "panamacnn.scalarPackA", "TRUE"), true, 256);
        assertEquals(new KernelFamily(true, 256, 8, 8, 1024, false, true, null), f);
        assertEquals("Vector API 256-bit, GEMM 8x2 vectors, KC 1024, B always packed, A packed by scalars", f.description());
        assertEquals(4, choose(Map.of("panamacnn.gemm.mr", "4"), true, 512).gemmRows());
        assertEquals(320, choose(Map.of("panamacnn.gemm.mr", "4"), true, 512).gemmKc());
        assertEquals(288, choose(Map.of("panamacnn.gemm.kc", "288"), true, 512).gemmKc());
    }

    @Test
    void plainJavaWithoutTheModuleOrWhenAskedFor() {
        KernelFamily absent = KernelProvider.choose(Map.<String, String>of()::get, false, NEVER);
        assertFalse(absent.vectorized());
        assertEquals(KernelFamily.SCALAR_LANES, absent.lanes());
        assertEquals("plain Java (jdk.incubator.vector not loaded; start the JVM with --add-modules=jdk.incubator.vector"
                + " for the vectorized kernels)", absent.description());
        KernelFamily asked = KernelProvider.choose(Map.of("panamacnn.kernels", "scalar")::get, true, NEVER);
        assertFalse(asked.vectorized());
        assertEquals("plain Java (-Dpanamacnn.kernels=scalar)", asked.description());
    }

    @Test
    void badValuesAreNamed() {
        assertMessage(IllegalArgumentException.class, "-Dpanamacnn.kernels must be auto, vector or scalar, got 'simd'",
                Map.of("panamacnn.kernels", "simd"), true);
        assertMessage(IllegalArgumentException.class, "-Dpanamacnn.gemm.mr must be 4 or 8, got '6'",
                Map.of("panamacnn.gemm.mr", "6"), true);
        assertMessage(IllegalArgumentException.class, "-Dpanamacnn.gemm.kc must be a positive integer, got '0'",
                Map.of("panamacnn.gemm.kc", "0"), true);
        assertMessage(IllegalArgumentException.class, "-Dpanamacnn.gemm.kc must be a positive integer, got 'big'",
                Map.of("panamacnn.gemm.kc", "big"), true);
        assertMessage(IllegalArgumentException.class, "-Dpanamacnn.gemm.directB must be true or false, got 'yes'",
                Map.of("panamacnn.gemm.directB", "yes"), true);
        assertMessage(IllegalArgumentException.class, "-Dpanamacnn.scalarPackA must be true or false, got '1'",
                Map.of("panamacnn.scalarPackA", "1"), true);
        // a bad value is reported even when it would not be used
        assertMessage(IllegalArgumentException.class, "-Dpanamacnn.gemm.mr must be 4 or 8, got '6'",
                Map.of("panamacnn.kernels", "scalar", "panamacnn.gemm.mr", "6"), false);
        assertMessage(IllegalStateException.class, "-Dpanamacnn.kernels=vector, but jdk.incubator.vector is not loaded:"
                + " start the JVM with --add-modules=jdk.incubator.vector", Map.of("panamacnn.kernels", "vector"), false);
    }

    @Test
    void thisJvmRunsTheFamilyItWasStartedFor() {
        boolean scalar = "scalar".equals(System.getProperty("panamacnn.kernels"));
        assertEquals(KernelProvider.vectorApiLoaded() && !scalar, KernelProvider.VECTORIZED);
        assertEquals(KernelProvider.FAMILY.description(), KernelProvider.description());
        assertEquals(KernelProvider.VECTORIZED, !Gemm.kernelName().equals("plain Java"), Gemm.kernelName());
    }

    private static void assertMessage(Class<? extends RuntimeException> type, String message, Map<String, String> properties,
                                      boolean loaded) {
        RuntimeException e = assertThrows(type, () -> KernelProvider.choose(properties::get, loaded, () -> 512));
        assertEquals(message, e.getMessage());
    }
}
