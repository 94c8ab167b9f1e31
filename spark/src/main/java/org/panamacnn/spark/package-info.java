/**
 * Data-parallel training on Apache Spark: {@link org.panamacnn.spark.SparkTrainer} trains a model
 * over partitions of the training set, either one global batch per round (sync, the same arithmetic
 * as one machine) or by parameter averaging; {@link org.panamacnn.spark.SparkTrain} is its command
 * line.
 */
package org.panamacnn.spark;
