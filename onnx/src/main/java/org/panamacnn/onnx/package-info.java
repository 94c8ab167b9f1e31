/**
 * ONNX import: reads ONNX models (as PyTorch exports them) into panama-cnn models, chains and
 * residual networks as layers, other graphs as a {@link org.panamacnn.nn.Graph}. On the class path
 * it lets {@link org.panamacnn.infer.Predictor#load} and the command line open {@code .onnx} files.
 */
package org.panamacnn.onnx;
