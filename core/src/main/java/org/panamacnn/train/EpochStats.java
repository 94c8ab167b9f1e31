package org.panamacnn.train;

/**
 * What one epoch did: mean training loss and accuracy over its batches, validation loss and
 * accuracy (NaN without validation data), and training throughput (validation not counted).
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, long images, double trainSeconds) {
    public double imagesPerSecond() {
        return images / trainSeconds;
    }
}
