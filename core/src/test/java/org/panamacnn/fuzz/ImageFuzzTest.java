package org.panamacnn.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.panamacnn.data.ImageFiles;
import org.panamacnn.data.ImageFormatException;

/** Images for predict (PNG, JPEG, GIF, BMP): decoded, null (not an image), or ImageFormatException. */
class ImageFuzzTest {
    @FuzzTest
    void read(byte[] input) throws IOException {
        try {
            BufferedImage image = ImageFiles.read(new ByteArrayInputStream(input), "fuzz-input");
            if (image != null && (long) image.getWidth() * image.getHeight() > ImageFiles.MAX_PIXELS) {
                throw new AssertionError("decoded an image above the pixel limit");
            }
        } catch (ImageFormatException expected) {
            // the documented failure
        }
    }
}
