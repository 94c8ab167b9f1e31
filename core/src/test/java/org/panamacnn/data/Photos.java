package org.panamacnn.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** Generated photo-like JPEGs for tests: smooth colour gradients, a few blobs and noise, seeded. */
final class Photos {
    private Photos() {}

    static BufferedImage picture(int width, int height, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        double[] base = {r.nextDouble(40, 200), r.nextDouble(40, 200), r.nextDouble(40, 200)};
        double[] gx = {r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)};
        double bx = r.nextDouble(width), by = r.nextDouble(height), br = r.nextDouble(5, Math.max(6, width / 3.0));
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double blob = Math.exp(-((x - bx) * (x - bx) + (y - by) * (y - by)) / (2 * br * br)) * 80;
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = base[c] + gx[c] * (x - width / 2.0) * 100 / width + (c == 0 ? blob : -blob / 2) + r.nextGaussian() * 6;
                    rgb = rgb << 8 | (int) Math.max(0, Math.min(255, v));
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    static Path jpeg(Path file, int width, int height, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(picture(width, height, seed), "jpeg", file.toFile())) throw new IOException("no JPEG writer");
        return file;
    }

    /** dir/a and dir/b with n JPEGs each of about width×height (sizes vary by a few pixels, orientation by seed). */
    static void folder(Path dir, int n, int width, int height) throws IOException {
        for (int i = 0; i < 2 * n; i++) {
            boolean portrait = i % 3 == 0;
            int w = (portrait ? height : width) + i % 5, h = (portrait ? width : height) + i % 7;
            jpeg(dir.resolve(i % 2 == 0 ? "a" : "b").resolve("p" + i + ".jpg"), w, h, i);
        }
    }
}
