package org.panamacnn.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.panamacnn.io.Json;
import org.panamacnn.simd.KernelFamily;
import org.panamacnn.simd.KernelProvider;

/**
 * The machine a report was measured on: CPU model (as lscpu names it), cores, the vector width the
 * kernels chose, the kernel family and the JDK. Kept beside the JMH results as machine.json.
 *
 * @param vectorBits the width of the Vector API kernels, 0 when the plain-Java kernels run
 */
public record Machine(String cpu, int cores, int vectorBits, String kernels, String jdk, String os, String date) {
    /** This JVM's machine. */
    public static Machine detect() {
        KernelFamily kernels = KernelProvider.FAMILY;  // its vectorBits are 0 for the plain-Java kernels
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), kernels.vectorBits(), kernels.description(),
                Runtime.version() + " (" + System.getProperty("java.vm.name", "?") + ", " + System.getProperty("java.vendor", "?") + ")",
                System.getProperty("os.name", "?") + " " + System.getProperty("os.version", "") + " " + System.getProperty("os.arch", ""),
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString());
    }

    /** Floats per vector of the FMA peak benchmark (the preferred species), 0 when unknown. */
    public int lanes() {
        return vectorBits / Float.SIZE;
    }

    /** lscpu's "Model name", else /proc/cpuinfo's "model name", else the architecture. */
    static String cpuModel() {
        try {
            Process p = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            String m = field(text, "Model name:");
            if (m != null) return m;
        } catch (IOException e) {
            // no lscpu: try /proc below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            String m = field(Files.readString(Path.of("/proc/cpuinfo")), "model name");
            if (m != null) return m.startsWith(":") ? m.substring(1).strip() : m;
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch", "unknown CPU");
    }

    private static String field(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name)) return line.substring(name.length()).replaceFirst("^\\s*:?\\s*", "").strip();
        }
        return null;
    }

    /** Writes machine.json: the record's components by name, so the fields are listed once, in the record's header. */
    public void write(Path file) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            for (java.lang.reflect.RecordComponent c : Machine.class.getRecordComponents()) m.put(c.getName(), c.getAccessor().invoke(this));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("a record's own accessor failed", e);
        }
        Files.writeString(file, Json.write(m) + "\n");
    }

    /** Reads machine.json; names the file and the field when one is missing. */
    public static Machine read(Path file) throws IOException {
        JsonFields f = new JsonFields(file.toString(), Json.parse(Files.readString(file)));
        return new Machine(f.text("cpu"), (int) f.number("cores"), (int) f.number("vectorBits"), f.text("kernels"), f.text("jdk"), f.text("os"),
                f.text("date"));
    }
}
