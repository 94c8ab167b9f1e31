package org.panamacnn.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.panamacnn.onnx.proto.Onnx;

/**
 * PyTorch's legacy exporter writes nn.GELU() (exact, with erf) as five nodes:
 * y = Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5), each constant a scalar, operands of Add and Mul in
 * either order. This pass replaces every such group by one Gelu node (opset 20's, which the
 * dynamo exporter writes) named after its Erf, placed where the last Mul was; an Erf in any other
 * company is an error naming it, since erf alone is not an operator this engine has.
 */
final class GeluPattern {
    private static final float SQRT2 = (float) Math.sqrt(2.0);

    private GeluPattern() {}

    static Onnx.GraphProto fuse(Onnx.GraphProto g, Map<String, float[]> constants, String file) throws OnnxFormatException {
        Map<String, Onnx.NodeProto> producer = new HashMap<>();
        Map<String, List<Onnx.NodeProto>> consumers = new HashMap<>();
        for (Onnx.NodeProto n : g.getNodeList()) {
            for (String out : n.getOutputList()) producer.put(out, n);
            for (String in : n.getInputList()) consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
        }
        Map<Onnx.NodeProto, Onnx.NodeProto> replaced = new IdentityHashMap<>(); // the last Mul → its Gelu; the other four → null
        for (Onnx.NodeProto erf : g.getNodeList()) {
            if (!erf.getOpType().equals("Erf")) continue;
            Match m = new Match(erf, producer, consumers, constants, file);
            Onnx.NodeProto gelu = Onnx.NodeProto.newBuilder().setOpType("Gelu").setName(erf.getName().isEmpty() ? erf.getOutput(0) : erf.getName())
                    .addInput(m.x).addOutput(m.mulHalf.getOutput(0))
                    .addAttribute(Onnx.AttributeProto.newBuilder().setName("approximate")
                            .setS(com.google.protobuf.ByteString.copyFromUtf8("none")))
                    .build();
            for (Onnx.NodeProto n : List.of(m.div, erf, m.addOne, m.mulX)) replaced.put(n, null);
            replaced.put(m.mulHalf, gelu);
        }
        if (replaced.isEmpty()) return g;
        Onnx.GraphProto.Builder b = g.toBuilder().clearNode();
        for (Onnx.NodeProto n : g.getNodeList()) {
            if (!replaced.containsKey(n)) b.addNode(n);
            else if (replaced.get(n) != null) b.addNode(replaced.get(n));
        }
        return b.build();
    }

    /** The five nodes around one Erf, or an error saying which link is missing. */
    private static final class Match {
        final Onnx.NodeProto div, addOne, mulX, mulHalf;
        final String x;
        private final Onnx.NodeProto erf;
        private final Map<String, List<Onnx.NodeProto>> consumers;
        private final Map<String, float[]> constants;
        private final String file;

        Match(Onnx.NodeProto erf, Map<String, Onnx.NodeProto> producer, Map<String, List<Onnx.NodeProto>> consumers,
              Map<String, float[]> constants, String file) throws OnnxFormatException {
            this.erf = erf;
            this.consumers = consumers;
            this.constants = constants;
            this.file = file;
            div = erf.getInputCount() == 1 ? producer.get(erf.getInput(0)) : null;
            if (div == null || !div.getOpType().equals("Div") || div.getInputCount() != 2 || !isScalar(div.getInput(1), SQRT2, 1e-6f)
                    || isConstant(div.getInput(0))) {
                throw fail("its input is not Div(x, √2)");
            }
            x = div.getInput(0);
            if (sole(div) != erf) throw fail("x / √2 feeds other nodes too");
            addOne = sole(erf);
            if (addOne == null || !addOne.getOpType().equals("Add") || !otherIsScalar(addOne, erf.getOutput(0), 1f)) throw fail("it is not followed by Add 1 alone");
            mulX = sole(addOne);
            if (mulX == null || !mulX.getOpType().equals("Mul") || !other(mulX, addOne.getOutput(0)).equals(x)) throw fail("1 + erf is not multiplied by x alone");
            mulHalf = sole(mulX);
            if (mulHalf == null || !mulHalf.getOpType().equals("Mul") || !otherIsScalar(mulHalf, mulX.getOutput(0), 0.5f)) {
                throw fail("x·(1 + erf) is not multiplied by 0.5 alone");
            }
        }

        /** The one node reading n's output, or null. */
        private Onnx.NodeProto sole(Onnx.NodeProto n) {
            List<Onnx.NodeProto> c = consumers.getOrDefault(n.getOutput(0), List.of());
            return c.size() == 1 ? c.getFirst() : null;
        }

        /** The input of a two-input node that is not `mine` ("" when both or neither are). */
        private static String other(Onnx.NodeProto n, String mine) {
            if (n.getInputCount() != 2) return "";
            if (n.getInput(0).equals(mine) && !n.getInput(1).equals(mine)) return n.getInput(1);
            if (n.getInput(1).equals(mine) && !n.getInput(0).equals(mine)) return n.getInput(0);
            return "";
        }

        private boolean otherIsScalar(Onnx.NodeProto n, String mine, float v) {
            return isScalar(other(n, mine), v, 0f);
        }

        private boolean isScalar(String tensor, float v, float tol) {
            float[] c = constants.get(tensor);
            return c != null && c.length == 1 && Math.abs(c[0] - v) <= tol;
        }

        private boolean isConstant(String tensor) {
            return constants.containsKey(tensor);
        }

        private OnnxFormatException fail(String why) {
            return new OnnxFormatException(file, "node '" + (erf.getName().isEmpty() ? erf.getOutput(0) : erf.getName())
                    + "' (Erf) is not supported on its own, only in GELU's exact form as PyTorch's legacy exporter writes it, "
                    + "Div(x, √2) → Erf → Add 1 → Mul x → Mul 0.5; here " + why);
        }
    }
}
