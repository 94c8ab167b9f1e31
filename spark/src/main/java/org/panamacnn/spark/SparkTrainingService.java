package org.panamacnn.spark;

import java.io.IOException;
import java.io.PrintStream;
import org.panamacnn.cli.SparkOptions;
import org.panamacnn.cli.SparkTraining;
import org.panamacnn.cli.TrainingOptions;

/** What {@code panama-cnn train --spark MASTER} runs: found by the cli through {@link java.util.ServiceLoader}. */
public final class SparkTrainingService implements SparkTraining {
    /** For the service loader. */
    public SparkTrainingService() {}

    @Override
    public int train(TrainingOptions options, SparkOptions spark, PrintStream out) throws IOException {
        return SparkTrain.train(options, spark, out);
    }
}
