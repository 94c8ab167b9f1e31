package org.panamacnn.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.onnx.proto.Onnx;
import org.panamacnn.simd.AdaptivePool;

/**
 * PyTorch's dynamo exporter writes AdaptiveAvgPool2d((oh, ow)) on an h×w map that is neither a
 * multiple of it nor 1×1 (VGG's 7×7 pool on anything but 224×224 inputs) as its decomposition into
 * four nodes: Transpose(x, perm [2, 3, 0, 1]) → GatherND(·, I) → Transpose(perm [4, 5, 0, 1, 2, 3])
 * → ReduceMean(axes [−3, −1], keepdims 0), I a constant [oh, kh, ow, kw, 2] of (row, column) pairs:
 * every window kh×kw cells, rows ⌊i·h/oh⌋ + a (columns alike). This pass replaces each such group
 * by one node of this importer's own domain, {@link #OP} with attributes output_size [oh, ow] and
 * input_size [h, w] (h, w read from I, which is checked cell by cell against the adaptive
 * windows), named after its GatherND. When the windows differ in size the exporter writes a masked
 * form (Where, Gather, Add, Div) instead; a GatherND in that or any other company is an error naming it.
 */
final class AdaptivePoolPattern {
    /** The domain of the nodes this pass writes: files may not use it (custom domains are refused before this pass). */
    static final String DOMAIN = "org.panamacnn";
    static final String OP = "AdaptiveAvgPool2d";
    /** Largest extent read from the indices (an output or window side, an input row or column). */
    private static final int MAX = 1 << 16;

    private AdaptivePoolPattern() {}

    static Onnx.GraphProto fuse(Onnx.GraphProto g, Map<String, long[]> ints, Map<String, long[]> intDims, String file) throws OnnxFormatException {
        Map<String, Onnx.NodeProto> producer = new HashMap<>();
        Map<String, List<Onnx.NodeProto>> consumers = new HashMap<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            for (String out : n.getOutputList()) producer.put(out, n);
            for (String in : n.getInputList()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
        Map<Onnx.NodeProto, Onnx.NodeProto> replaced = new IdentityHashMap<>(); // the ReduceMean → the pool; the other three → null
        for (Onnx.NodeProto gather : g.getNodeList()) {
            if (!gather.getOpType().equals("GatherND")) continue;
            Match m = new Match(gather, producer, consumers, ints, intDims, file);
            Onnx.NodeProto pool = Onnx.NodeProto.newBuilder().setOpType(OP).setDomain(DOMAIN)
                    .setName(gather.getName().isEmpty() ? gather.getOutput(0) : gather.getName())
                    .addInput(m.before.getInput(0)).addOutput(m.mean.getOutput(0))
                    .addAttribute(ints("output_size", m.oh, m.ow)).addAttribute(ints("input_size", m.h, m.w))
                    .build();
            for (Onnx.NodeProto n : List.of(m.before, gather, m.after)) replaced.put(n, null);
            replaced.put(m.mean, pool);
        }
        if (replaced.isEmpty()) return g;
        Onnx.GraphProto.Builder b = g.toBuilder().clearNode();
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (!replaced.containsKey(n)) b.addNode(n);
            else if (replaced.get(n) != null) b.addNode(replaced.get(n));
        }
        return b.build();
    }

    private static Onnx.AttributeProto ints(String name, long a, long b) {
        return Onnx.AttributeProto.newBuilder().setName(name).addInts(a).addInts(b).build();
    }

    /** The four nodes around one GatherND, or an error saying which link is missing. */
    private static final class Match {
        final Onnx.NodeProto before, after, mean;
        final int oh, ow, h, w;
        private final Onnx.NodeProto gather;
        private final Map<String, List<Onnx.NodeProto>> consumers;
        private final String file;

        Match(Onnx.NodeProto gather, Map<String, Onnx.NodeProto> producer, Map<String, List<Onnx.NodeProto>> consumers,
              Map<String, long[]> ints, Map<String, long[]> intDims, String file) throws OnnxFormatException {
            this.gather = gather;
            this.consumers = consumers;
            this.file = file;
            if (gather.getInputCount() != 2 || attribute(gather, "batch_dims", 0) != 0) throw fail("it is not GatherND(data, indices) with batch_dims 0");
            before = producer.get(gather.getInput(0));
            if (before == null || !before.getOpType().equals("Transpose") || !perm(before, 2, 3, 0, 1)) throw fail("its data is not Transpose(x, perm [2, 3, 0, 1])");
            if (sole(before) != gather) throw fail("the transposed map feeds other nodes too");
            long[] idx = ints.get(gather.getInput(1)), d = intDims.get(gather.getInput(1));
            if (idx == null || d.length != 5 || d[4] != 2) throw fail("its indices are not a constant int64 [oh, kh, ow, kw, 2] tensor");
            for (long v : d) if (v < 1 || v > MAX) throw fail("its indices have shape " + java.util.Arrays.toString(d));
            oh = (int) d[0];
            ow = (int) d[2];
            int kh = (int) d[1], kw = (int) d[3];
            long maxRow = -1, maxCol = -1;
            for (int q = 0; q < idx.length; q += 2) {
                maxRow = Math.max(maxRow, idx[q]);
                maxCol = Math.max(maxCol, idx[q + 1]);
            }
            if (maxRow >= MAX || maxCol >= MAX) throw fail("its indices reach row " + maxRow + ", column " + maxCol);
            h = (int) maxRow + 1;
            w = (int) maxCol + 1;
            after = sole(gather);
            if (after == null || !after.getOpType().equals("Transpose") || !perm(after, 4, 5, 0, 1, 2, 3)) {
                throw fail("it is not followed by Transpose(perm [4, 5, 0, 1, 2, 3]) alone");
            }
            mean = sole(after);
            if (mean != null && mean.getOpType().equals("Where")) throw maskedForm(kh, kw);
            checkWindows(idx, kh, kw);
            if (mean == null || !mean.getOpType().equals("ReduceMean") || attribute(mean, "keepdims", 1) != 0 || !meanOverWindows(mean, ints)) {
                throw fail("it is not followed by ReduceMean(axes [-3, -1], keepdims 0) alone");
            }
        }

        /** Every (row, column) pair is the adaptive window's: (⌊i·h/oh⌋ + a, ⌊j·w/ow⌋ + b), each window kh×kw. */
        private void checkWindows(long[] idx, int kh, int kw) throws OnnxFormatException {
            for (int i = 0; i < oh; i++) {
                if (AdaptivePool.end(i, h, oh) - AdaptivePool.start(i, h, oh) != kh) throw fail("row window " + i + " of " + h + " → " + oh + " is not " + kh + " rows");
            }
            for (int j = 0; j < ow; j++) {
                if (AdaptivePool.end(j, w, ow) - AdaptivePool.start(j, w, ow) != kw) throw fail("column window " + j + " of " + w + " → " + ow + " is not " + kw + " columns");
            }
            int q = 0;
            for (int i = 0; i < oh; i++) for (int a = 0; a < kh; a++) for (int j = 0; j < ow; j++) for (int b = 0; b < kw; b++, q += 2) {
                if (idx[q] != AdaptivePool.start(i, h, oh) + a || idx[q + 1] != AdaptivePool.start(j, w, ow) + b) {
                    throw fail("index [" + i + ", " + a + ", " + j + ", " + b + "] is (" + idx[q] + ", " + idx[q + 1] + "), not the adaptive window's ("
                            + (AdaptivePool.start(i, h, oh) + a) + ", " + (AdaptivePool.start(j, w, ow) + b) + ")");
                }
            }
        }

        /**
         * The form the exporter writes when the windows differ in size: windows padded to the largest
         * (kh×kw), Where masks zeroing the padded cells (boolean constants, which this importer does not
         * read), the cells summed by a tree of Gather and Add nodes, and a Div by the cell counts. Refused:
         * recognising it safely means checking both masks and the sum tree cell by cell.
         */
        private OnnxFormatException maskedForm(int kh, int kw) {
            return new OnnxFormatException(file, "node '" + (gather.getName().isEmpty() ? gather.getOutput(0) : gather.getName())
                    + "' (GatherND): the dynamo exporter's AdaptiveAvgPool2d((" + oh + ", " + ow + ")) on a map whose windows differ in size "
                    + "(rows and columns of up to " + kh + " and " + kw + " cells), written as masked windows (Where → Gather / Add → Div), "
                    + "is not supported; export with the legacy exporter (dynamo=False) at a size whose map is a multiple of the output, "
                    + "or resize the input so every window has one size");
        }

        private static boolean meanOverWindows(Onnx.NodeProto mean, Map<String, long[]> ints) {
            long[] axes = null;
            if (mean.getInputCount() > 1 && !mean.getInput(1).isEmpty()) axes = ints.get(mean.getInput(1));
            else for (Onnx.AttributeProto a : mean.getAttributeList()) if (a.getName().equals("axes")) axes = a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            if (axes == null || axes.length != 2) return false;
            long a = axes[0] < 0 ? axes[0] + 6 : axes[0], b = axes[1] < 0 ? axes[1] + 6 : axes[1];
            return Math.min(a, b) == 3 && Math.max(a, b) == 5;
        }

        private static boolean perm(Onnx.NodeProto n, long... expected) {
            for (Onnx.AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals("perm")) return a.getIntsList().equals(java.util.Arrays.stream(expected).boxed().toList());
            }
            return false;
        }

        private static long attribute(Onnx.NodeProto n, String name, long absent) {
            for (Onnx.AttributeProto a : n.getAttributeList()) if (a.getName().equals(name)) return a.getI();
            return absent;
        }

        /** The one node reading n's output, or null. */
        private Onnx.NodeProto sole(Onnx.NodeProto n) {
            List<Onnx.NodeProto> c = consumers.getOrDefault(n.getOutput(0), List.of());
            return c.size() == 1 ? c.getFirst() : null;
        }

        private OnnxFormatException fail(String why) {
            return new OnnxFormatException(file, "node '" + (gather.getName().isEmpty() ? gather.getOutput(0) : gather.getName())
                    + "' (GatherND) is supported only as the dynamo exporter's AdaptiveAvgPool2d with windows of one size, "
                    + "Transpose(perm [2, 3, 0, 1]) → GatherND(constant adaptive windows) → Transpose(perm [4, 5, 0, 1, 2, 3]) → ReduceMean(axes [-3, -1]); here "
                    + why + " (windows of different sizes, e.g. a 3×3 map pooled to 7×7, are exported in a masked form that is not supported)");
        }
    }
}
