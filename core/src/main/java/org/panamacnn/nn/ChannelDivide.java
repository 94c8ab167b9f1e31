package org.panamacnn.nn;

import org.panamacnn.simd.Quotient;
import org.panamacnn.tensor.Shape;

/**
 * y = x / d with a constant d, a scalar or one per channel: PyTorch's x / c with a constant c (a
 * normalisation's std), exactly (x·(1/d) would round twice). Not trained; backward δx = δy / d.
 */
public final class ChannelDivide extends ElementwiseLayer {
    private final float[] divisor;

    public ChannelDivide(float[] divisor) {
        this.divisor = ChannelConstants.checked("divide", "by", divisor);
        for (float d : divisor) if (d == 0f) throw new IllegalArgumentException("divide: a divisor is 0");
    }

    public float divisor(int c) {
        return divisor[divisor.length == 1 ? 0 : c];
    }

    public boolean uniform() {
        return divisor.length == 1;
    }

    @Override
    void checkInput(Shape input) {
        ChannelConstants.requireFits(this, input, divisor);
    }

    @Override
    void forward(float[] x, float[] y, int from, int n) {
        divide(x, y, from, n);
    }

    @Override
    void backward(float[] dy, float[] x, float[] dx, int from, int n) {
        divide(dy, dx, from, n);
    }

    private void divide(float[] in, float[] out, int from, int n) {
        int inner = ChannelConstants.inner(shape, divisor), channels = shape.size() / inner;
        for (int at = from, end = from + n; at < end; ) {
            for (int c = 0; c < channels; c++, at += inner) Quotient.divide(inner, divisor(c), in, at, out, at);
        }
    }

    @Override
    public ChannelDivide copy() {
        return new ChannelDivide(divisor);
    }

    @Override
    public String spec() {
        return "divide by=" + ChannelConstants.text(divisor);
    }

    @Override
    public String describe() {
        return "Divide(by " + (divisor.length == 1 ? divisor[0] : divisor.length + " per channel") + ")";
    }
}
