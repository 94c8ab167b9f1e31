package org.panamacnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
