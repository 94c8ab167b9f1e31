package org.panamacnn.infer;

import org.panamacnn.simd.NhwcDepthwiseConv;
import org.panamacnn.simd.PixelMap;

/**
 * A depthwise convolution (groups = channels) with its bias, folded batch norm and clamp
 * (ReLU / ReLU6 fused), NHWC in and out, read straight from the input's zero border. Weights are
 * repacked once as [k·k, channel stride] so each tap is one vector load per channel block.
 * Work units are rows of output images.
 */
final class DepthwiseConvOp implements Op {
    private final int in, out, k, oh, ow, channelStride, rowFloats;
    private final PixelMap windows, outMap;
    private final float[] weights, bias;
    private final float lo, hi;

    /**
     * wt [channels, 1, k, k] (PyTorch's layout) and bias [channels]; inMap the input buffer (border
     * ≥ pad), channel stride cs shared by input and output; lo / hi the fused clamp.
     */
    DepthwiseConvOp(int in, PixelMap inMap, float[] wt, float[] bias, int channels, int cs, int k, int stride, int pad, float lo, float hi,
                    int oh, int ow, int out, PixelMap outMap) {
        this.in = in;
        this.out = out;
        this.k = k;
        this.oh = oh;
        this.ow = ow;
        this.channelStride = cs;
        this.rowFloats = inMap.perRow();
        this.outMap = outMap;
        this.lo = lo;
        this.hi = hi;
        this.windows = new PixelMap(inMap.perImage(), stride * inMap.perRow(), stride * cs, inMap.at(0, -pad, -pad));
        this.weights = new float[k * k * cs];
        this.bias = new float[cs];
        for (int c = 0; c < channels; c++) {
            this.bias[c] = bias[c];
            for (int t = 0; t < k * k; t++) weights[t * cs + c] = wt[c * k * k + t];
        }
    }

    int weightFloats() {
        return weights.length + bias.length;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(parallelism, batch * oh);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        float[] src = ws.buffer(in), dst = ws.buffer(out);
        int units = batch * oh;
        for (int u = Op.start(task, tasks, units), end = Op.start(task + 1, tasks, units); u < end; ) {
            int n = u / oh, i0 = u % oh, i1 = Math.min(oh, i0 + (end - u)); // a run of rows of one image
            NhwcDepthwiseConv.convolve(src, windows, rowFloats, channelStride, k, weights, bias, lo, hi, dst, outMap, n, i0, i1, ow, channelStride);
            u += i1 - i0;
        }
    }
}
