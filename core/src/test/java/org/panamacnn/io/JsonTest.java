package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesWhatItWrites() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "tab\there \"q\" \u0001");
        m.put("n", 2.5);
        m.put("l", List.of(1.0, true, "x"));
        m.put("z", null);
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test
    void errorsGiveTheOffset() {
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\": tru}"));
        assertEquals(6, e.offset());
        assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(Json.JsonException.class, () -> Json.parse("[1] x"));
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        Json.JsonException e = assertThrows(Json.JsonException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("depth"), e.getMessage());
        assertEquals(Json.MAX_DEPTH + 1, e.offset());  // just past the refused bracket
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertEquals(List.class, Json.parse(ok).getClass().getInterfaces()[0]);
    }

    @Test
    void hugeStringsAndNumbersAreRefused() {
        assertThrows(Json.JsonException.class, () -> Json.parse("\"" + "a".repeat(Json.MAX_STRING_CHARS + 1) + "\""));
        assertThrows(Json.JsonException.class, () -> Json.parse("1" + "0".repeat(200)));
    }

    @Test
    void truncatedAndEmptyInputGiveJsonException() {
        for (String bad : new String[] {"", "   ", "{", "[1,", "{\"a\"", "{\"a\":", "\"abc", "nul", "[1 2]", "{1:2}", "\u0000"}) {
            assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
        }
    }
}
