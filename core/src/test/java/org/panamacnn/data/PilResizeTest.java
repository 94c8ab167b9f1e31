package org.panamacnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link PilResize} against Pillow 12.3's {@code Image.resize(size, BILINEAR)} on a 13×9 grey
 * pattern p(x, y) = (37x + 91y + 5xy) mod 256: the expected bytes were printed by Pillow itself
 * (downscale, upscale, a crop then a resize, one axis only).
 */
class PilResizeTest {
    private static final int W = 13, H = 9;

    private static byte[] pattern() {
        byte[] p = new byte[W * H];
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) p[y * W + x] = (byte) ((x * 37 + y * 91 + x * y * 5) % 256);
        return p;
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    private static byte[] resize(byte[] src, int srcW, int srcH, int outW, int outH) {
        byte[] out = new byte[outW * outH];
        PilResize.resize(src, 0, srcW, srcH, outW, outH, 0, 0, outW, outH, false, out, 0);
        return out;
    }

    @Test
    void downscaleAntialiasesAsPillowDoes() {
        assertArrayEquals(bytes(104, 114, 127, 128, 141, 117, 122, 137, 141, 130, 108, 135, 149, 144, 116, 119, 118, 139, 121, 118),
                resize(pattern(), W, H, 5, 4));
    }

    @Test
    void oneAxisOnly() {
        assertArrayEquals(bytes(29, 100, 177, 70, 88, 159, 124, 155, 54, 133, 202, 97, 172, 76, 156, 179, 106, 197, 58, 158, 96, 130,
                143, 88, 153, 107, 131, 176, 125, 135, 92, 111, 184, 132, 162, 126, 87, 166, 119, 173, 121, 64, 135, 87, 159, 116, 76,
                164, 121, 119, 94, 170, 140, 102), resize(pattern(), W, H, 6, 9));
    }

    @Test
    void cropThenResize() {
        byte[] p = pattern(), crop = new byte[9 * 7];  // Pillow's crop((2, 1, 11, 8))
        for (int y = 0; y < 7; y++) System.arraycopy(p, (y + 1) * W + 2, crop, y * 9, 9);
        assertArrayEquals(bytes(117, 108, 151, 153, 124, 136, 154, 134, 125, 147, 143, 117), resize(crop, 9, 7, 4, 3));
    }

    @Test
    void upscaleAndAWindowOfIt() {
        byte[] full = resize(pattern(), W, H, 20, 15);
        assertArrayEquals(bytes(0, 18, 42, 66, 90, 114, 138, 162, 186, 210, 151, 8, 26, 50, 74, 98, 122, 146, 170, 188),
                java.util.Arrays.copyOf(full, 20));
        // a window (what the centre crop asks for) and its mirror are the same pixels as the full result
        byte[] window = new byte[6 * 5], mirrored = new byte[6 * 5];
        PilResize.resize(pattern(), 0, W, H, 20, 15, 7, 4, 6, 5, false, window, 0);
        PilResize.resize(pattern(), 0, W, H, 20, 15, 7, 4, 6, 5, true, mirrored, 0);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
                assertArrayEquals(new byte[] {full[(y + 4) * 20 + x + 7], full[(y + 4) * 20 + x + 7]},
                        new byte[] {window[y * 6 + x], mirrored[y * 6 + 5 - x]});
            }
        }
    }
}
