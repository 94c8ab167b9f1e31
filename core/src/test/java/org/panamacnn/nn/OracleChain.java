package org.panamacnn.nn;

import static org.panamacnn.nn.TestSupport.toDouble;

import java.util.ArrayList;
import java.util.List;
import org.panamacnn.oracle.OracleConv2d;
import org.panamacnn.oracle.OracleDense;
import org.panamacnn.oracle.OracleMaxPool;
import org.panamacnn.oracle.OracleRelu;
import org.panamacnn.tensor.Shape;

/**
 * A network evaluated with the double-precision oracle, stage by stage: forward keeps each stage's
 * input, backward runs the oracle's backward formulas in reverse and leaves each stage's parameter
 * gradients. Parameters are copied (as doubles) from the float layers, so the chain computes what
 * the float model should.
 */
final class OracleChain {
    /** One stage; forward remembers what backward needs. */
    abstract static class Stage {
        final Shape in, out;

        Stage(Shape in, Shape out) {
            this.in = in;
            this.out = out;
        }

        abstract double[] forward(double[] x, int n);

        abstract double[] backward(double[] dy, int n);

        /** The parameter gradients of the last backward, in the float layer's params() order. */
        double[][] paramGrads() {
            return new double[0][];
        }
    }

    static final class Conv extends Stage {
        final int cin, h, w, cout, k, stride, pad;
        final double[] weight, bias;
        double[] x, gradWeight, gradBias;

        Conv(Shape in, Conv2d layer, int stride, int pad) {
            super(in, outShape(in, layer, stride, pad));
            Shape ws = layer.weight().value().shape();
            this.cout = ws.dim(0);
            this.cin = ws.dim(1);
            this.k = ws.dim(2);
            this.h = in.dim(1);
            this.w = in.dim(2);
            this.stride = stride;
            this.pad = pad;
            this.weight = toDouble(layer.weight().value());
            this.bias = toDouble(layer.bias().value());
        }

        private static Shape outShape(Shape in, Conv2d layer, int stride, int pad) {
            int k = layer.weight().value().shape().dim(2);
            return Shape.of(layer.weight().value().shape().dim(0),
                    OracleConv2d.outSize(in.dim(1), k, stride, pad), OracleConv2d.outSize(in.dim(2), k, stride, pad));
        }

        @Override
        double[] forward(double[] x, int n) {
            this.x = x;
            return OracleConv2d.forward(x, n, cin, h, w, weight, cout, k, k, bias, stride, pad);
        }

        @Override
        double[] backward(double[] dy, int n) {
            gradWeight = OracleConv2d.gradWeight(x, n, cin, h, w, dy, cout, k, k, stride, pad);
            gradBias = OracleConv2d.gradBias(dy, n, cout, out.dim(1), out.dim(2));
            return OracleConv2d.gradInput(dy, n, cout, out.dim(1), out.dim(2), weight, cin, h, w, k, k, stride, pad);
        }

        @Override
        double[][] paramGrads() {
            return new double[][] {gradWeight, gradBias};
        }
    }

    static final class Relu extends Stage {
        double[] z;

        Relu(Shape in) {
            super(in, in);
        }

        @Override
        double[] forward(double[] x, int n) {
            z = x;
            return OracleRelu.forward(x);
        }

        @Override
        double[] backward(double[] dy, int n) {
            return OracleRelu.backward(dy, z);
        }
    }

    static final class Pool extends Stage {
        final int window, stride;
        double[] x;

        Pool(Shape in, int window, int stride) {
            super(in, Shape.of(in.dim(0), OracleMaxPool.outSize(in.dim(1), window, stride),
                    OracleMaxPool.outSize(in.dim(2), window, stride)));
            this.window = window;
            this.stride = stride;
        }

        @Override
        double[] forward(double[] x, int n) {
            this.x = x;
            return OracleMaxPool.forward(x, n, in.dim(0), in.dim(1), in.dim(2), window, stride);
        }

        @Override
        double[] backward(double[] dy, int n) {
            return OracleMaxPool.backward(dy, x, n, in.dim(0), in.dim(1), in.dim(2), window, stride);
        }
    }

    /** Flattening is a reshape of NCHW memory: the identity on the element arrays. */
    static final class Flat extends Stage {
        Flat(Shape in) {
            super(in, Shape.of(in.size()));
        }

        @Override
        double[] forward(double[] x, int n) {
            return x;
        }

        @Override
        double[] backward(double[] dy, int n) {
            return dy;
        }
    }

    static final class Fc extends Stage {
        final int inFeatures, outFeatures;
        final double[] weight, bias;
        double[] x, gradWeight, gradBias;

        Fc(Shape in, Dense layer) {
            super(in, Shape.of(layer.weight().value().shape().dim(0)));
            this.outFeatures = out.dim(0);
            this.inFeatures = in.dim(0);
            this.weight = toDouble(layer.weight().value());
            this.bias = toDouble(layer.bias().value());
        }

        @Override
        double[] forward(double[] x, int n) {
            this.x = x;
            return OracleDense.forward(x, n, inFeatures, weight, outFeatures, bias);
        }

        @Override
        double[] backward(double[] dy, int n) {
            gradWeight = OracleDense.gradWeight(dy, x, n, inFeatures, outFeatures);
            gradBias = OracleDense.gradBias(dy, n, outFeatures);
            return OracleDense.gradInput(dy, weight, n, inFeatures, outFeatures);
        }

        @Override
        double[][] paramGrads() {
            return new double[][] {gradWeight, gradBias};
        }
    }

    private final List<Stage> stages = new ArrayList<>();
    private final List<double[]> activations = new ArrayList<>();
    private Shape shape;
    private int batch;

    OracleChain(Shape input) {
        this.shape = input;
    }

    private <S extends Stage> S add(S stage) {
        stages.add(stage);
        shape = stage.out;
        return stage;
    }

    /** Adds a convolution with the float layer's (already built and set) parameters. */
    Conv conv(Conv2d layer, int stride, int pad) {
        return add(new Conv(shape, layer, stride, pad));
    }

    OracleChain relu() {
        add(new Relu(shape));
        return this;
    }

    OracleChain pool(int window, int stride) {
        add(new Pool(shape, window, stride));
        return this;
    }

    OracleChain flatten() {
        add(new Flat(shape));
        return this;
    }

    Fc dense(Dense layer) {
        return add(new Fc(shape, layer));
    }

    Shape outputShape() {
        return shape;
    }

    /** x [n, input...] → output [n, output...]; keeps every stage's output. */
    double[] forward(double[] x, int n) {
        batch = n;
        activations.clear();
        activations.add(x);
        double[] t = x;
        for (Stage s : stages) {
            t = s.forward(t, n);
            activations.add(t);
        }
        return t;
    }

    /** The output of stage i of the last forward (i = −1: the input). */
    double[] activation(int i) {
        return activations.get(i + 1);
    }

    /** ∂L/∂output → ∂L/∂input; leaves the parameter gradients in the stages. */
    double[] backward(double[] dOut) {
        double[] g = dOut;
        for (int i = stages.size() - 1; i >= 0; i--) g = stages.get(i).backward(g, batch);
        return g;
    }
}
