/**
 * The scalar oracle: every operation of the engine computed straight from its textbook formula
 * as plain nested loops accumulating in {@code double}. It shares no code with the SIMD path
 * (convolution is direct, not im2col + GEMM) and is used only by tests and benchmarks.
 *
 * <p>All tensors are flat row-major arrays; images are NCHW. Shapes are passed explicitly and
 * every array length is checked against them ({@link java.lang.IllegalArgumentException}
 * naming the expected and the actual length).
 */
package org.panamacnn.oracle;
