/**
 * Stateless kernels over {@code float[]} and offsets: GEMM, im2col / col2im, pooling, activations,
 * losses, BLAS-1 and optimizer updates, grouped and NHWC convolutions. Each method does one thing
 * and its arguments say what is read and what is written. Each public kernel is a facade that
 * runs its Vector API implementation (a {@code Vector*} class; the JVM needs
 * {@code --add-modules=jdk.incubator.vector}) or its plain-Java twin (a {@code Scalar*} class, or
 * the facade's own loops), as {@link org.panamacnn.simd.KernelProvider} chose; only the
 * {@code Vector*} classes touch {@code jdk.incubator.vector}, so no other class needs the module.
 *
 * <p>Two rules for the {@code Vector*} classes:
 * <ul>
 * <li>A lane sum adds the lanes left to right ({@code s = v.lane(0); s += v.lane(1); ...}), never
 * {@code reduceLanes(ADD)}: that adds in a tree when C2 compiles it but left to right in the
 * interpreter and C1, so one call could give two sums in a run, and results would depend on
 * thread timing.
 * <li>No vector is passed to, or returned from, a method of ours unless C2 is sure to inline it:
 * a vector that crosses a call C2 did not inline is boxed (a {@code float[]} and its object, every
 * call). C2 declines to inline a callee that is already compiled into a large method, which
 * depends on what ran earlier in the JVM: a shared helper that summed a vector's lanes was
 * compiled on its own after some networks trained, and small-mobilenet's depthwise weight
 * gradient then boxed 61,440 vectors a step on AVX2. So a lane sum is written out where it is needed.
 * </ul>
 */
package org.panamacnn.simd;
