package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;

/** y = scale[c]·x + shift[c] per channel of an NHWC image, in place: a batch norm with no convolution to fold into. */
final class ChannelAffineOp implements Op {
    private final int slot, h, w, channels;
    private final PixelMap map;
    private final float[] scale, shift;

    ChannelAffineOp(int slot, PixelMap map, int h, int w, int channels, float[] scale, float[] shift) {
        this.slot = slot;
        this.map = map;
        this.h = h;
        this.w = w;
        this.channels = channels;
        this.scale = scale;
        this.shift = shift;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        float[] x = ws.buffer(slot);
        for (int n = Op.start(task, tasks, batch), end = Op.start(task + 1, tasks, batch); n < end; n++) {
            for (int y = 0; y < h; y++) {
                for (int xx = 0; xx < w; xx++) {
                    int at = map.at(n, y, xx);
                    for (int c = 0; c < channels; c++) x[at + c] = Math.fma(x[at + c], scale[c], shift[c]);
                }
            }
        }
    }
}
