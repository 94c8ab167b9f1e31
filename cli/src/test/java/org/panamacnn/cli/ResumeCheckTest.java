package org.panamacnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResumeCheckTest {
    @Test
    void everyDifferenceIsNamedAndOnlyAnOverrideLetsItThroughOnRecord() {
        Map<String, String> saved = ResumeCheck.settings(64, 0.01f, "constant", 0, java.util.List.of());
        Map<String, String> now = ResumeCheck.settings(128, 0.01f, "step", 1, java.util.List.of());
        List<String> diffs = ResumeCheck.differences(saved, now);
        assertEquals(List.of("--batch: 64 in the checkpoint, 128 now", "--schedule: constant in the checkpoint, step now",
                "--warmup: 0 in the checkpoint, 1 now"), diffs);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        UsageException e = assertThrows(UsageException.class, () -> ResumeCheck.require("ck", diffs, false, print));
        assertTrue(e.getMessage().startsWith("--resume ck is another run: --batch: 64 in the checkpoint, 128 now; "), e.getMessage());
        String recorded = ResumeCheck.require("ck", diffs, true, print);
        assertEquals(String.join("; ", diffs), recorded);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("resuming ck with changes (--override): --batch"), out.toString());
        // the same run, and a checkpoint from before runs were recorded, resume as before
        assertNull(ResumeCheck.require("ck", ResumeCheck.differences(saved, saved), false, print));
        assertEquals(List.of(), ResumeCheck.differences(Map.of("epochs_done", "1"), now));
    }
}
