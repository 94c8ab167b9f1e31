package org.panamacnn.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.panamacnn.io.Json;

class JsonFuzzTest {
    @FuzzTest
    void parse(byte[] input) {
        String text = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        try {
            Object v = Json.parse(text);
            Json.parse(Json.write(v));  // what was read writes back readable
        } catch (Json.JsonException expected) {
            // the documented failure
        }
    }
}
