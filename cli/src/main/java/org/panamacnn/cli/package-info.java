/**
 * The {@code panama-cnn} command line (picocli): train (here, or with --spark on the spark module's
 * trainer), eval, predict, convert, plot and bench. Not an API, except the few types the spark and
 * bench modules build on: {@link org.panamacnn.cli.TrainingOptions}, {@link org.panamacnn.cli.SparkOptions},
 * {@link org.panamacnn.cli.CommandLines} and the services they provide.
 */
package org.panamacnn.cli;
