package org.panamacnn.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * Per-channel normalisation of 8-bit pixels: x = (p / 255 − mean[c]) / std[c]. Computed from a
 * training set's pixels and stored in the model file (metadata "normalization"), so that
 * {@code predict} and {@code eval} transform images exactly as training did.
 */
public record PixelNormalization(float[] mean, float[] std) {
    /** Fashion-MNIST's full training set (one channel): what models without the metadata used. */
    public static final PixelNormalization FASHION_MNIST = new PixelNormalization(new float[] {0.2860f}, new float[] {0.3530f});

    public PixelNormalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalisation needs one mean and one std per channel, got " + mean.length + " and " + std.length);
        }
        for (int c = 0; c < mean.length; c++) {
            if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
                throw new IllegalArgumentException("channel " + c + ": mean " + mean[c] + ", std " + std[c] + " (std must be positive and finite)");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    public int channels() {
        return mean.length;
    }

    /** The normalised value of pixel p (0..255) of channel c. */
    public float apply(int c, int p) {
        return (p / 255f - mean[c]) / std[c];
    }

    /** Mean and standard deviation per channel over N×C×H×W pixels (in double; a channel that is constant gets std 1). */
    public static PixelNormalization of(byte[] pixels, int channels, int pixelsPerChannel) {
        long plane = pixelsPerChannel, samples = pixels.length / (plane * channels);
        float[] mean = new float[channels], std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double s = 0, ss = 0;
            for (long n = 0; n < samples; n++) {
                int base = (int) ((n * channels + c) * plane);
                for (int i = 0; i < plane; i++) {
                    double v = (pixels[base + i] & 0xff) / 255.0;
                    s += v;
                    ss += v * v;
                }
            }
            double count = (double) samples * plane, m = s / count, var = Math.max(0, ss / count - m * m);
            mean[c] = (float) m;
            std[c] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
        }
        return new PixelNormalization(mean, std);
    }

    /** "mean0,mean1,...;std0,std1,..." as stored in a model file. */
    public String toMetadata() {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < mean.length; c++) sb.append(c > 0 ? "," : "").append(Float.toString(mean[c]));
        sb.append(';');
        for (int c = 0; c < std.length; c++) sb.append(c > 0 ? "," : "").append(Float.toString(std[c]));
        return sb.toString();
    }

    /** Reads {@link #toMetadata()}'s text; null gives the Fashion-MNIST constants (older model files). */
    public static PixelNormalization fromMetadata(String text) {
        if (text == null) return FASHION_MNIST;
        String[] parts = text.split(";", -1);
        if (parts.length != 2) throw new IllegalArgumentException("normalization \"" + text + "\" is not \"means;stds\"");
        return new PixelNormalization(floats(parts[0]), floats(parts[1]));
    }

    private static float[] floats(String csv) {
        String[] p = csv.split(",");
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            try {
                f[i] = Float.parseFloat(p[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("normalization value '" + p[i].trim() + "' is not a number");
            }
        }
        return f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelNormalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "mean %s std %s", Arrays.toString(mean), Arrays.toString(std));
    }
}
