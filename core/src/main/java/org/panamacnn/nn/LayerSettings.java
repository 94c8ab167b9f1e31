package org.panamacnn.nn;

import java.util.ArrayList;
import java.util.List;

/** The error for layer settings out of range, naming each one that is: "Conv2d: stride 0 must be at least 1". */
final class LayerSettings {
    private LayerSettings() {}

    /**
     * @param settings triples of name, value and least allowed value, e.g. "kernel", 0, 1
     */
    static IllegalArgumentException outOfRange(String layer, Object... settings) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i + 2 < settings.length; i += 3) {
            long value = ((Number) settings[i + 1]).longValue(), min = ((Number) settings[i + 2]).longValue();
            if (value < min) problems.add(settings[i] + " " + value + " must be at least " + min);
        }
        return new IllegalArgumentException(layer + ": " + (problems.isEmpty() ? "bad settings" : String.join(", ", problems)));
    }
}
