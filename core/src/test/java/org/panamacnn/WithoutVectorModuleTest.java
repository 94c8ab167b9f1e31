package org.panamacnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.panamacnn.simd.KernelProvider;

/**
 * Run only by the without-vector-module execution (core/pom.xml), beside the layer, model and
 * training tests it runs: holds that its JVM really lacks the Vector API, so those tests ran the
 * plain-Java kernels, and that the notice a user sees names the fix.
 */
class WithoutVectorModuleTest {

    @Test
    void theVectorApiIsAbsentAndThePlainJavaKernelsRun() {
        assertFalse(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "this execution must start its JVM without --add-modules=jdk.incubator.vector");
        assertFalse(KernelProvider.vectorApiLoaded());
        assertFalse(KernelProvider.VECTORIZED);
        assertEquals("plain Java (jdk.incubator.vector not loaded; start the JVM with --add-modules=jdk.incubator.vector"
                + " for the vectorized kernels)", KernelProvider.description());
    }
}
