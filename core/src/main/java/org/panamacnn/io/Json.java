package org.panamacnn.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON that model files and model definitions need, on Jackson's streaming parser: parse to
 * Map / List / String / Double / Boolean / null, write maps, lists, strings and numbers.
 *
 * <p>Parsing untrusted text is bounded: nesting deeper than {@link #MAX_DEPTH}, a string longer
 * than {@link #MAX_STRING_CHARS}, a number longer than 100 digits or a duplicated object key is
 * a {@link JsonException} naming the character offset — never a stack overflow or an
 * unbounded allocation. Jackson enforces the limits while it reads, before building anything.
 */
public final class Json {
    /** Deepest nesting of arrays and objects accepted (our files use 3). */
    public static final int MAX_DEPTH = 64;
    /** Longest string value accepted (a model's architecture is a few kB). */
    public static final int MAX_STRING_CHARS = 1 << 20;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING_CHARS)
                    .maxNameLength(MAX_STRING_CHARS)
                    .maxNumberLength(100)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {}

    /** Parses one JSON value; throws {@link JsonException} with the offset of the first problem. */
    public static Object parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            try {
                JsonToken first = p.nextToken();
                if (first == null) throw new JsonException("unexpected end of JSON", 0);
                Object v = value(p, first);
                if (p.nextToken() != null) {
                    throw new JsonException("unexpected text after the JSON value", offset(p.currentTokenLocation()));
                }
                return v;
            } catch (JsonProcessingException e) {
                // limit violations carry no location of their own: use where the parser stands
                JsonLocation at = e.getLocation() != null ? e.getLocation() : p.currentLocation();
                throw new JsonException(e.getOriginalMessage(), offset(at));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a String source does no I/O
        }
    }

    /** Recursion is bounded by {@link #MAX_DEPTH}: the parser refuses deeper input first. */
    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    map.put(name, value(p, p.nextToken()));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken e; (e = p.nextToken()) != JsonToken.END_ARRAY; ) list.add(value(p, e));
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new JsonException("unexpected " + t, offset(p.currentTokenLocation()));
        };
    }

    private static int offset(JsonLocation at) {
        return at == null ? -1 : (int) Math.max(at.getCharOffset(), -1);
    }

    public static final class JsonException extends IllegalArgumentException {
        private final int offset;

        JsonException(String message, int offset) {
            super(message + " at character " + offset);
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    /** Writes maps, lists, strings, numbers, booleans and null as compact JSON. */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(value, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // a StringWriter does no I/O
        }
        return out.toString();
    }

    private static void write(Object v, JsonGenerator g) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(e.getValue(), g);
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) write(o, g);
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
        }
    }
}
