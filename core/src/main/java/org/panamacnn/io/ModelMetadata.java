package org.panamacnn.io;

import java.util.List;
import java.util.Map;
import org.panamacnn.data.PixelNormalization;
import org.panamacnn.tensor.Shape;

/**
 * What a model file's metadata says about the model must agree with the model: as many class
 * names as outputs, a normalisation for as many channels as the input has, numbers that are
 * numbers. Checked when a file is written (nothing inconsistent is saved) and when it is read
 * (files written by hand or by older versions); a disagreement names the file, the key and both
 * figures, instead of labelling outputs from the wrong list.
 */
public final class ModelMetadata {
    private ModelMetadata() {}

    public static void check(String file, Map<String, String> meta, Shape input, Shape output) throws ModelFormatException {
        String classes = meta.get("classes");
        if (classes != null) {
            List<String> names;
            try {
                names = ClassNames.fromMetadata(classes);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file, "bad classes in metadata: " + e.getMessage());
            }
            if (output.rank() == 1 && names.size() != output.dim(0)) {
                throw new ModelFormatException(file, "metadata lists " + names.size() + " class names but the model has "
                        + output.dim(0) + " outputs");
            }
        }
        String normalization = meta.get("normalization");
        if (normalization != null) {
            PixelNormalization norm;
            try {
                norm = PixelNormalization.fromMetadata(normalization);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file, "bad normalization in metadata: " + e.getMessage());
            }
            if (input.rank() == 3 && norm.channels() != input.dim(0)) {
                throw new ModelFormatException(file, "metadata normalises " + norm.channels() + " channels but the model takes "
                        + input.dim(0) + "-channel images " + input);
            }
        }
        for (String key : List.of("epochs", "epochs_done", "seed", "optimizer_steps")) wholeNumber(file, meta, key, 0);
    }

    /** The metadata value at key as a whole number, `absent` when missing; anything else names the file and key. */
    public static long wholeNumber(String file, Map<String, String> meta, String key, long absent) throws ModelFormatException {
        String v = meta.get(key);
        if (v == null) return absent;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file, "metadata " + key + " \"" + v + "\" is not a whole number");
        }
    }
}
