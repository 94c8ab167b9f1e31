/**
 * Inference for services. {@link org.panamacnn.infer.Predictor} loads a model file once and is
 * then shared by any number of request threads: it holds an immutable
 * {@link org.panamacnn.infer.InferenceModel} (the model planned once, weights packed) and gives each
 * calling thread its own {@link org.panamacnn.infer.Workspace}, so calls take no lock and allocate
 * nothing. {@link org.panamacnn.infer.BatchingPredictor} gathers concurrent calls into batches.
 * The kernels are vectorised when the JVM has {@code --add-modules=jdk.incubator.vector}, and plain
 * Java (slower, the same results within float rounding) without it.
 */
package org.panamacnn.infer;
