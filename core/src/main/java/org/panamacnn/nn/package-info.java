/**
 * Layers and models. A model is a {@link org.panamacnn.nn.Sequential} of
 * {@link org.panamacnn.nn.Layer}s (convolution, pooling, activations, batch norm, dropout, dense),
 * where a layer may itself be a {@link org.panamacnn.nn.Residual} block or a
 * {@link org.panamacnn.nn.Graph} of named nodes merged by add or concat. Shapes are inferred from
 * the input shape. {@link org.panamacnn.nn.Models} builds the default network; model-definition
 * JSON files are read by {@code org.panamacnn.io.ModelDefinition} (this package imports nothing from io).
 *
 * <p>A model's tensors are held once, in its {@link org.panamacnn.nn.Weights}, named as PyTorch
 * names them. Layers are built with a {@link org.panamacnn.nn.BuildContext} (executor, weights,
 * {@link org.panamacnn.nn.EngineOptions}); a training state builds {@link org.panamacnn.nn.Layer#copy
 * copies} of the model's layers over the same weights, so the per-call buffers (saved activations,
 * gradients, scratch) of the model and of each state are apart. What a pass runs is a list of
 * {@link org.panamacnn.nn.Step}s: the layers, with fused ones as one step ({@code Fusion}).
 */
package org.panamacnn.nn;
