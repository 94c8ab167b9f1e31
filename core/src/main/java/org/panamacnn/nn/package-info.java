/**
 * Layers and models. A model is a {@link org.panamacnn.nn.Sequential} of
 * {@link org.panamacnn.nn.Layer}s (convolution, pooling, activations, batch norm, dropout, dense),
 * where a layer may itself be a {@link org.panamacnn.nn.Residual} block or a
 * {@link org.panamacnn.nn.Graph} of named nodes merged by add or concat. Shapes are inferred from
 * the input shape. {@link org.panamacnn.nn.Models} builds the default network and
 * {@link org.panamacnn.nn.ModelDefinition} reads networks from JSON.
 */
package org.panamacnn.nn;
