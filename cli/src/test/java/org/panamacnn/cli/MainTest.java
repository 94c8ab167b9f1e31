package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("train"), out());
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err().contains("usage"), err());
    }

    @Test
    void unknownCommandIsOneClearLine() {
        assertEquals(2, run("fly"));
        assertEquals("panama-cnn: unknown command 'fly' (try 'panama-cnn help')", err().strip());
    }

    @Test
    void trainHelpDescribesTheOptions() {
        assertEquals(0, run("train", "--help"));
        assertTrue(out().contains("--epochs") && out().contains("--data"), out());
    }

    @Test
    void badOptionValuesAreRejected() {
        assertEquals(2, run("train", "--epochs", "zero"));
        assertEquals("panama-cnn: --epochs must be a positive whole number, got 'zero'", err().strip());
    }

    @Test
    void unknownOptionIsRejected() {
        assertEquals(2, run("train", "--epoch", "3"));
        assertEquals("panama-cnn: unknown option --epoch", err().strip());
    }

    @Test
    void missingDataDirectoryIsReported() {
        assertEquals(1, run("train", "--data", "/nonexistent/fashion"));
        assertTrue(err().contains("/nonexistent/fashion"), err());
    }

    @Test
    void trainsOnTheBundledSample() {
        System.setProperty("panamacnn.home", "..");
        try {
            assertEquals(0, run("train", "--epochs", "1", "--batch", "100", "--threads", "2"), err());
        } finally {
            System.clearProperty("panamacnn.home");
        }
        String text = out();
        assertTrue(text.contains("10,000 training, 2,000 test images"), text);
        assertTrue(text.matches("(?s).*epoch 1/1  loss \\d\\.\\d{4}  train acc .*test acc .*images/s.*"), text);
    }
}
