package org.panamacnn.cli.report;

import java.util.List;

/** The benchmark suites {@code panama-cnn bench --suite} knows. */
public final class Suites {
    /** quick: a few minutes; kernels, inference, models: one area in full; full: all three. */
    public static final List<String> NAMES = List.of("quick", "kernels", "inference", "models", "full");

    private Suites() {}
}
