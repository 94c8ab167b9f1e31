package org.panamacnn.data;

import java.awt.image.BufferedImage;

/**
 * How a picture is brought to a model's input size, kept in the model file (metadata "resize") so
 * that {@code predict} and {@code eval} do what training did: {@link #STRETCH} scales the whole
 * picture to H×W (bilinear, aspect not kept: image folders in memory, and every model file without
 * the entry); a positive {@code shorterSide} is torchvision's evaluation transform, {@code
 * Resize(shorterSide)} then {@code CenterCrop(H, W)} (photos, {@link PhotoTransform#centre}).
 */
public record Resizing(int shorterSide) {
    public static final Resizing STRETCH = new Resizing(0);

    public Resizing {
        if (shorterSide < 0) throw new IllegalArgumentException("resize side must be positive, got " + shorterSide);
    }

    /** torchvision's evaluation resize for crops of h×w: the shorter side to ⌊min(h, w)·256/224⌋. */
    public static Resizing centreCrop(int h, int w) {
        return new Resizing(PhotoTransform.resizeSide(Math.min(h, w)));
    }

    /** Writes picture at h×w in C planes of bytes into out at `at`. */
    public void apply(BufferedImage picture, int channels, int h, int w, byte[] out, int at) {
        if (shorterSide == 0) {
            ImageFolder.pixels(picture, channels, h, w, out, at);
        } else {
            PhotoTransform.centre(picture, channels, h, w, shorterSide, out, at);
        }
    }

    /** "stretch" or "shorter-side N, centre crop". */
    public String toMetadata() {
        return shorterSide == 0 ? "stretch" : "shorter-side " + shorterSide + ", centre crop";
    }

    /** Reads {@link #toMetadata()}'s text; null (files from before the entry) is {@link #STRETCH}. */
    public static Resizing fromMetadata(String text) {
        if (text == null || text.equals("stretch")) return STRETCH;
        String prefix = "shorter-side ", suffix = ", centre crop";
        if (text.startsWith(prefix) && text.endsWith(suffix)) {
            try {
                int side = Integer.parseInt(text.substring(prefix.length(), text.length() - suffix.length()));
                if (side > 0) return new Resizing(side);
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("resize \"" + text + "\" is not \"stretch\" or \"shorter-side N, centre crop\"");
    }
}
