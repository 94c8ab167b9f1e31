package org.panamacnn.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Class names in a model file's metadata: written as a JSON list, so a name may hold any
 * character (a folder called "cat,dog" stays one class). Files written before that keep a
 * comma-joined string; it is read as it was written.
 */
public final class ClassNames {
    private ClassNames() {}

    public static String toMetadata(List<String> names) {
        return Json.write(List.copyOf(names));
    }

    /**
     * The names in a metadata value: a JSON list of strings, or (older files) comma-separated.
     *
     * @throws IllegalArgumentException when a JSON value is not a list of strings
     */
    public static List<String> fromMetadata(String value) {
        if (value.stripLeading().startsWith("[")) {
            if (!(Json.parse(value) instanceof List<?> list)) throw new IllegalArgumentException("classes is not a JSON list");
            List<String> names = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String s)) throw new IllegalArgumentException("class name " + o + " is not a string");
                names.add(s);
            }
            return names;
        }
        return Arrays.asList(value.split(",", -1));
    }
}
