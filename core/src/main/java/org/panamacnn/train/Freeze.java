package org.panamacnn.train;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.panamacnn.nn.Sequential;

/**
 * Which of a model's tensors fine-tuning keeps fixed, as PyTorch users freeze modules: by the
 * prefix of the tensor names the model file uses ("0.", "layer1.", "3.main.0.", "0.n12_conv.").
 * A prefix names a module: "3" and "3." both freeze "3.weight" and "3.main.0.bias" but not
 * "30.weight"; a full tensor name ("3.weight") freezes that tensor alone.
 *
 * <p>What frozen means ({@link Sequential#sharingWeights(org.panamacnn.parallel.ParallelExecutor, Set)}):
 * no optimizer step touches the tensors, so they keep their bits; batch norm with all its tensors
 * frozen runs in evaluation mode (running statistics used, not updated), as after PyTorch's
 * {@code requires_grad_(False)} and {@code eval()}; frozen layers that only the input reaches
 * (a frozen prefix, the usual case) run no backward at all, which is where the time is saved.
 */
public final class Freeze {
    private static final Freeze NONE = new Freeze(List.of());
    private final List<String> prefixes;

    private Freeze(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    /** Nothing frozen: every tensor trains. */
    public static Freeze none() {
        return NONE;
    }

    /** The tensors under these module prefixes (or with these full names). */
    public static Freeze prefixes(List<String> prefixes) {
        for (String p : prefixes) {
            if (p == null || p.isBlank() || p.equals(".")) throw new IllegalArgumentException("an empty prefix to freeze: name a layer or block, e.g. \"0.\" or \"layer1.\"");
        }
        return new Freeze(prefixes);
    }

    public static Freeze prefixes(String... prefixes) {
        return prefixes(List.of(prefixes));
    }

    public List<String> prefixes() {
        return prefixes;
    }

    public boolean isEmpty() {
        return prefixes.isEmpty();
    }

    /** Whether prefix names tensor name, or a module that holds it. */
    static boolean matches(String prefix, String name) {
        if (prefix.endsWith(".")) return name.startsWith(prefix);
        return name.equals(prefix) || name.startsWith(prefix + ".");
    }

    /**
     * The full names of model's frozen tensors (parameters and batch norm's statistics). Throws
     * IllegalArgumentException naming a prefix that matches none of them, with valid prefixes
     * near it.
     */
    public Set<String> tensorsOf(Sequential model) {
        Set<String> names = model.weights().byName().keySet(), frozen = new LinkedHashSet<>();
        for (String p : prefixes) {
            boolean any = false;
            for (String n : names) {
                if (matches(p, n)) {
                    frozen.add(n);
                    any = true;
                }
            }
            if (!any) throw new IllegalArgumentException(unmatched(p, names));
        }
        return frozen;
    }

    /** "the prefix 'x' matches none of the model's tensors; ..." with the layers under the nearest module that exists. */
    private static String unmatched(String prefix, Set<String> names) {
        String parent = prefix;
        List<String> near;
        do { // up one module at a time: "3.main.9." → "3.main." → "3." → ""
            int dot = parent.endsWith(".") ? parent.lastIndexOf('.', parent.length() - 2) : parent.lastIndexOf('.');
            parent = dot < 0 ? "" : parent.substring(0, dot + 1);
            near = children(parent, names);
        } while (near.isEmpty() && !parent.isEmpty());
        int shown = Math.min(near.size(), 12);
        return "the prefix '" + prefix + "' matches none of the model's tensors; "
                + (parent.isEmpty() ? "its top-level layers are " : "under '" + parent + "' are ")
                + String.join(", ", near.subList(0, shown)) + (shown < near.size() ? " (and " + (near.size() - shown) + " more)" : "");
    }

    /** The module prefixes ("3.", "3.main.0.") and tensor names one level below parent ("" for the top), in the model's order. */
    private static List<String> children(String parent, Set<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            if (!n.startsWith(parent)) continue;
            String rest = n.substring(parent.length());
            int dot = rest.indexOf('.');
            if (dot < 0) { // a tensor of parent itself
                out.add(n);
                continue;
            }
            String next = rest.substring(0, dot + 1);
            if (next.equals("main.") || next.equals("shortcut.")) { // a residual path: its layers are "main.0."
                int second = rest.indexOf('.', dot + 1);
                if (second > 0) next = rest.substring(0, second + 1);
            }
            out.add(parent + next);
        }
        return new ArrayList<>(out);
    }

    /** One line for logs: "0., 1., layer1." or "nothing". */
    public String describe() {
        return prefixes.isEmpty() ? "nothing" : String.join(", ", new TreeSet<>(prefixes));
    }

    @Override
    public String toString() {
        return "Freeze" + prefixes;
    }
}
