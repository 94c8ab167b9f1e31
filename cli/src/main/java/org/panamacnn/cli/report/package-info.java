/**
 * The benchmark report of {@code panama-cnn bench}: JMH's JSON results read into medians over
 * forks, set against the machine's FMA peak and against the references measured in the same run,
 * written as Markdown and a self-contained HTML page with SVG bar charts.
 */
package org.panamacnn.cli.report;
