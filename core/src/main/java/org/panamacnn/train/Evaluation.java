package org.panamacnn.train;

/** Mean loss and accuracy of a model over a data set. */
public record Evaluation(double loss, double accuracy, int samples) {}
