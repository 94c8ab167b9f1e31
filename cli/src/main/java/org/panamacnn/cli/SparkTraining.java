package org.panamacnn.cli;

import java.io.IOException;
import java.io.PrintStream;

/**
 * What {@code train --spark MASTER} runs: a service the spark module provides (found with
 * {@link java.util.ServiceLoader} when it is on the class path), so the command line stays one
 * and the cli module stays free of Spark.
 */
public interface SparkTraining {
    /**
     * Trains as the options say, on Spark.
     *
     * @return the exit status
     * @throws IOException when the data or a model file cannot be read or written
     */
    int train(TrainingOptions options, SparkOptions spark, PrintStream out) throws IOException;
}
