/**
 * Stateless kernels over {@code float[]} and offsets, written with the Java Vector API: GEMM,
 * im2col / col2im, pooling, activations, losses, BLAS-1 and optimizer updates, and the NHWC
 * inference kernels. Each method does one thing and its arguments say what is read and what is
 * written. The JVM needs {@code --add-modules=jdk.incubator.vector}.
 */
package org.panamacnn.simd;
