/** The {@code panama-cnn} command line: train, eval, predict, convert and plot. Not an API. */
package org.panamacnn.cli;
