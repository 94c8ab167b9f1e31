package org.panamacnn.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void timeLeftCoversTheRemainingEpochs() {
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 3, 64, () -> now[0]);
        bar.onEpochStart(0, 10);
        for (int b = 0; b < 5; b++) {
            now[0] += 1_000_000_000L;  // one second a batch
            bar.onBatchEnd(0, b, 10, 0.5);
        }
        // 5 of 30 batches in 5 s: 25 batches, 25 s, are left in the run (not 5 s, this epoch's)
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("0:25 left "), bytes.toString(StandardCharsets.UTF_8));

        for (int b = 5; b < 10; b++) {
            now[0] += 1_000_000_000L;
            bar.onBatchEnd(0, b, 10, 0.5);
        }
        bar.onEpochEnd(new EpochStats(1, 0.5, 0.8, 0.5, 0.8, 640, 10));
        now[0] += 10_000_000_000L;  // a 10 s test pass: the pace so far is 20 s an epoch
        bar.onEpochStart(1, 10);
        bytes.reset();
        now[0] += 1_000_000_000L;
        bar.onBatchEnd(1, 0, 10, 0.5);
        // 11 batches in 21 s; 19 left
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith(String.format("0:%02d left ", (int) (21.0 / 11 * 19))),
                bytes.toString(StandardCharsets.UTF_8));
    }
}
