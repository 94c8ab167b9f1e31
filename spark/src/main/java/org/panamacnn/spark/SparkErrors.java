package org.panamacnn.spark;

/**
 * One line for the user from an exception that may come from Spark: a failed job's exception
 * carries the task's exception as its cause and a multi-line message with the remote stack trace;
 * the user needs what went wrong on the executor, not where.
 */
final class SparkErrors {
    private SparkErrors() {}

    static String oneLine(Throwable e) {
        String top = firstLine(e.getMessage());
        if (e instanceof IllegalStateException && (top.contains("SparkContext has been shutdown") || top.contains("stopped SparkContext"))) {
            // the master removed the application (e.g. its executors could not start): Spark logged why
            return "Spark stopped the application (" + top + "); the reason is in Spark's log above";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = firstLine(root.getMessage());
        String what = message.isEmpty() ? root.getClass().getName() : message;
        if (root == e) return what;
        // say it came from Spark when it did (a failed job, lost executors) and which kind of error it is
        String outer = firstLine(e.getMessage());
        String kind = root instanceof java.io.IOException || root instanceof RuntimeException ? "" : root.getClass().getSimpleName() + ": ";
        return (outer.startsWith("Job aborted") ? "Spark job failed: " : "") + kind + what;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
