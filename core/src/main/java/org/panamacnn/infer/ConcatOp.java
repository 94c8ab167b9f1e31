package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;

/** Channel concatenation of NHWC images: output pixel = input 0's real channels, then input 1's, ... */
final class ConcatOp extends ImageOp {
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
    void runImage(Workspace ws, int n) {
        float[] z = ws.buffer(out);
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
