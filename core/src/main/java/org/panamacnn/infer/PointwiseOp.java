package org.panamacnn.infer;

import org.panamacnn.simd.PixelMap;
import org.panamacnn.simd.Pointwise;

/**
 * An element-wise activation ({@link Pointwise}) in place over the interior of NHWC images (the
 * real channels of each pixel; the zero border and padding channels are not touched, since f(0)
 * need not be 0), or over flat features as 1×1 images. Split by images.
 */
final class PointwiseOp implements Op {
    private final int slot, h, w, channels;
    private final PixelMap map;
    private final Pointwise.Kind kind;
    private final float a, b;

    PointwiseOp(int slot, PixelMap map, int h, int w, int channels, Pointwise.Kind kind, float a, float b) {
        this.slot = slot;
        this.map = map;
        this.h = h;
        this.w = w;
        this.channels = channels;
        this.kind = kind;
        this.a = a;
        this.b = b;
    }

    @Override
    public int tasks(int batch, int parallelism) {
        return Math.min(batch, parallelism);
    }

    @Override
    public void run(Workspace ws, int batch, int task, int tasks) {
        float[] x = ws.buffer(slot);
        boolean dense = map.perColumn() == channels; // a pixel row's real channels are contiguous
        for (int n = Op.start(task, tasks, batch), end = Op.start(task + 1, tasks, batch); n < end; n++) {
            for (int y = 0; y < h; y++) {
                if (dense) {
                    int at = map.at(n, y, 0);
                    Pointwise.forward(kind, a, b, w * channels, x, at, x, at);
                    continue;
                }
                for (int xx = 0; xx < w; xx++) {
                    int at = map.at(n, y, xx);
                    Pointwise.forward(kind, a, b, channels, x, at, x, at);
                }
            }
        }
    }
}
