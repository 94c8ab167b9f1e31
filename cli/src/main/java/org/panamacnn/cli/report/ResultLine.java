package org.panamacnn.cli.report;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code RESULT key=value key="value with spaces" ...} line, as TrainBench and the PyTorch
 * reference script print one per measured run.
 */
public record ResultLine(Map<String, String> fields) {
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S*)");

    public ResultLine {
        fields = Map.copyOf(fields);
    }

    /** The fields of a line starting with "RESULT ", or null for any other line. */
    public static ResultLine parse(String line) {
        if (!line.startsWith("RESULT ")) return null;
        Map<String, String> f = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line.substring("RESULT ".length()));
        while (m.find()) {
            String v = m.group(2);
            f.put(m.group(1), v.length() >= 2 && v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
        }
        return new ResultLine(f);
    }

    /** A field as text; names the field and the line's fields when it is missing. */
    public String text(String key) {
        String v = fields.get(key);
        if (v == null) throw new IllegalArgumentException("RESULT line has no " + key + "=: " + fields);
        return v;
    }

    /** A field as a number; names the field when it is missing or not a number. */
    public double number(String key) {
        String v = text(key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("RESULT line's " + key + "=" + v + " is not a number");
        }
    }
}
