package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;

/** Channel concatenation of NHWC images: output pixel = input 0's real channels, then input 1's, ... */
final class ConcatOp implements Op {
    private final int[] in, channels;
    private final PixelMap[] inMaps;
    private final int out, h, w;
    private final PixelMap outMap;

    ConcatOp(int[] in, PixelMap[] inMaps, int[] channels, int out, PixelMap outMap, int h, int w) {
        this.in = in.clone();
        this.inMaps = inMaps.clone();
        this.channels = channels.clone();
        this.out = out;
        this.outMap = outMap;
        this.h = h;
        this.w = w;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        float[] z = ws.buffer(out);
        for (int n = Op.start(task, tasks, batch), end = Op.start(task + 1, tasks, batch); n < end; n++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int at = outMap.at(n, i, j);
                    for (int k = 0; k < in.length; k++) {
                        System.arraycopy(ws.buffer(in[k]), inMaps[k].at(n, i, j), z, at, channels[k]);
                        at += channels[k];
                    }
                }
            }
        }
    }
}
