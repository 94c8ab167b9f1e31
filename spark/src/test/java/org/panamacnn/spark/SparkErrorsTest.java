package org.panamacnn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** What the user reads when Spark fails: one line, the executor's reason first. */
class SparkErrorsTest {
    @Test
    void aFailedJobGivesTheTasksErrorInOneLine() {
        var cause = new IOException("file:/data/train-labels-idx1-ubyte: label of image 33 is 10, expected 0..9");
        var job = new SparkException("Job aborted due to stage failure: Task 1 in stage 0.0 failed 4 times, most recent failure: ...\n"
                + "\tat org.panamacnn.spark.Shard.read(Shard.java:40)\n", cause);
        assertEquals("Spark job failed: file:/data/train-labels-idx1-ubyte: label of image 33 is 10, expected 0..9", SparkErrors.oneLine(job));
    }

    @Test
    void aJobWithoutACauseGivesTheFirstLineOfSparksMessage() {
        var lost = new SparkException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 4 times: ExecutorLostFailure (executor 2 exited)\n"
                + "Driver stacktrace:\n\tat ...");
        assertEquals("Job aborted due to stage failure: Task 0 in stage 3.0 failed 4 times: ExecutorLostFailure (executor 2 exited)",
                SparkErrors.oneLine(lost));
    }

    @Test
    void aStoppedContextSaysSparkStoppedTheApplication() {
        assertEquals("Spark stopped the application (SparkContext has been shutdown); the reason is in Spark's log above",
                SparkErrors.oneLine(new IllegalStateException("SparkContext has been shutdown")));
    }

    @Test
    void anErrorOfAnotherKindIsNamed() {
        var job = new SparkException("Job aborted due to stage failure: ...", new OutOfMemoryError("Java heap space"));
        assertEquals("Spark job failed: OutOfMemoryError: Java heap space", SparkErrors.oneLine(job));
    }
}
