package org.panamacnn.data;

import java.util.List;

/**
 * A training and a test set with their class names and the pixel normalisation both use (computed
 * from the training pixels, or Fashion-MNIST's constants for IDX data).
 */
public record LabelledData(Dataset train, Dataset test, List<String> classes, PixelNormalization normalization, String format) {}
