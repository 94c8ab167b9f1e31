package org.panamacnn.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.panamacnn.simd.TestSupport.assertAllClose;
import static org.panamacnn.simd.TestSupport.assertRejects;
import static org.panamacnn.simd.TestSupport.assertSameBits;
import static org.panamacnn.simd.TestSupport.REVERSED;
import static org.panamacnn.simd.TestSupport.randomArray;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.panamacnn.oracle.OracleConv2d;
import org.panamacnn.oracle.OracleIm2Col;

/**
 * {@link ImageColumns} and the GEMM that packs them from the images: the matrix is
 * {@link OracleIm2Col}'s columns of each image side by side (both layouts), and the product gives
 * the bits of the GEMM of that matrix written out, and the oracle's convolution.
 */
class ImageColumnsTest {
}
