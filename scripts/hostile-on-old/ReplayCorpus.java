package org.panamacnn.fuzz;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.*;

/** Replays one fuzz target's corpus (and the empty input) one input at a time: OK, or what the target threw. */
public class ReplayCorpus {
    public static void main(String[] a) throws Exception {
        Class<?> c = Class.forName("org.panamacnn.fuzz." + a[0]);
        Method m = c.getDeclaredMethod(a[1], byte[].class);
        m.setAccessible(true);
        var ctor = c.getDeclaredConstructor();
        ctor.setAccessible(true);
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(Path.of(a[2]))) { s.sorted().forEach(files::add); }
        List<String> names = new ArrayList<>(List.of("(empty input)"));
        List<byte[]> inputs = new ArrayList<>(List.of(new byte[0]));
        for (Path f : files) { names.add(f.getFileName().toString()); inputs.add(Files.readAllBytes(f)); }
        ExecutorService ex = Executors.newCachedThreadPool(r -> { Thread t = new Thread(null, r, "case", 1 << 20); t.setDaemon(true); return t; });
        for (int i = 0; i < inputs.size(); i++) {
            byte[] in = inputs.get(i);
            Future<?> f = ex.submit(() -> { m.invoke(ctor.newInstance(), (Object) in); return null; });
            String r;
            try { f.get(120, TimeUnit.SECONDS); r = "OK"; }
            catch (TimeoutException t) { f.cancel(true); r = "FAIL timeout 120 s"; }
            catch (ExecutionException e) {
                Throwable t = e.getCause();
                while ((t instanceof java.lang.reflect.InvocationTargetException || t instanceof java.lang.reflect.UndeclaredThrowableException) && t.getCause() != null) t = t.getCause();
                String s = t.toString().split("\n")[0];
                if (t.getCause() != null && t instanceof AssertionError) s += " <- " + t.getCause().toString().split("\n")[0];
                r = "FAIL " + (s.length() > 300 ? s.substring(0, 300) : s);
            } catch (Throwable t) { r = "FAIL " + t; }
            System.out.println("CASE " + a[0] + " " + names.get(i) + " " + r);
        }
        System.exit(0);
    }
}
