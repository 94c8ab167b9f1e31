/**
 * Model files: {@link org.panamacnn.io.ModelFile} saves and loads models as safetensors (the
 * architecture and training facts in its metadata, tensors named as PyTorch names them),
 * {@link org.panamacnn.io.Checkpoint} adds the optimizer state for resuming, and
 * {@link org.panamacnn.io.ModelReader} lets other formats (ONNX, from the onnx module) be loaded the
 * same way. Hostile files are refused with a {@link org.panamacnn.io.ModelFormatException}.
 */
package org.panamacnn.io;
