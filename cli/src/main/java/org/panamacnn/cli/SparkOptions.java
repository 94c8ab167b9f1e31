package org.panamacnn.cli;

import picocli.CommandLine.Option;

/**
 * The options of data-parallel training on Spark: part of {@code train}'s command line (so
 * {@code train --spark MASTER --mode sync} parses here, with or without the spark module) and of
 * the spark module's {@code SparkTrain}.
 */
public final class SparkOptions {
    @Option(names = "--spark", paramLabel = "MASTER", order = 70,
            description = "train data-parallel on Apache Spark with this master, e.g. local[2] (needs the spark module; "
                    + "see docs/spark.md; spark-submit sets the master otherwise). With --spark, train takes the options "
                    + "above except --init, --image-size, --channels, --test-fraction, --schedule, --warmup, --augment-crop, "
                    + "--augment-flip, --clip-norm, --override and --metrics, and these three:")
    private String master;

    @Option(names = "--mode", paramLabel = "M", order = 71, defaultValue = "average", converter = Converters.SparkMode.class,
            description = "sync (one global batch per round, as one machine) or average (parameter averaging every K local steps; "
                    + "default ${DEFAULT-VALUE})")
    private String mode;

    @Option(names = "--average-every", paramLabel = "K", order = 72, defaultValue = "32", converter = Converters.PositiveInt.class,
            description = "local steps per averaging round (default ${DEFAULT-VALUE})")
    private int averageEvery;

    @Option(names = "--partitions", paramLabel = "P", order = 73, defaultValue = "2", converter = Converters.PositiveInt.class,
            description = "fixed data partitions = workers (default ${DEFAULT-VALUE})")
    private int partitions;

    /** --spark, or null (train on this machine; or, under spark-submit, the master it sets). */
    public String master() {
        return master;
    }

    /** "sync" or "average". */
    public String mode() {
        return mode;
    }

    public int averageEvery() {
        return averageEvery;
    }

    public int partitions() {
        return partitions;
    }
}
