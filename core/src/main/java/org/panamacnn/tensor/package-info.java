/** Tensors: a {@link org.panamacnn.tensor.Shape} and a {@code float[]} in NCHW order. */
package org.panamacnn.tensor;
