package org.panamacnn.infer;

import org.panamacnn.simd.NhwcConvTranspose;
import org.panamacnn.simd.PixelMap;

/**
 * A transposed convolution ({@link org.panamacnn.nn.ConvTranspose2d}), NHWC in and out: each
 * output pixel gathers its taps ({@link NhwcConvTranspose}), weights packed once at planning. The
 * input needs no border (taps outside it are skipped); the output's border is left zero. Split by
 * output rows over the whole batch; a row's result does not depend on the split.
 */
final class ConvTransposeOp implements Op {
    private final int in, out, h, w, cin, cout, k, stride, pad, oh, ow;
    private final PixelMap inMap, outMap;
    private final float[] packed, bias;

    ConvTransposeOp(int in, PixelMap inMap, int h, int w, int cin, float[] weight, float[] bias, int cout, int k, int stride, int pad,
                    int out, PixelMap outMap, int oh, int ow) {
        this.in = in;
        this.inMap = inMap;
        this.h = h;
        this.w = w;
        this.cin = cin;
        this.packed = NhwcConvTranspose.pack(weight, cin, cout, k);
        this.bias = bias.clone();
        this.cout = cout;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
        this.out = out;
        this.outMap = outMap;
        this.oh = oh;
        this.ow = ow;
    }

    long weightFloats() {
        return packed.length + bias.length;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return (int) Math.min((long) batch * oh, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        long units = (long) batch * oh;
        int first = (int) (task * units / tasks), end = (int) ((task + 1) * units / tasks);
        float[] x = ws.buffer(in), y = ws.buffer(out);
        for (int u = first; u < end; ) {
            int n = u / oh, row = u % oh, rows = Math.min(oh - row, end - u);
            NhwcConvTranspose.forward(x, inMap, h, w, cin, packed, bias, cout, k, stride, pad, y, outMap, n, row, row + rows, ow);
            u += rows;
        }
    }
}
