package org.panamacnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    @Test
    void decodesEachFormatToTheSamePixels() throws IOException {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 3; y++) for (int x = 0; x < 5; x++) img.getRaster().setSample(x, y, 0, (x + y) % 2 * 255);  // survives GIF's palette
        for (String format : new String[] {"png", "bmp", "gif", "tiff"}) {
            Path f = dir.resolve("a." + format);
            ImageIO.write(img, format, f.toFile());
            BufferedImage back = ImageFiles.read(f);
            assertEquals(5, back.getWidth(), format);
            assertEquals(3, back.getHeight(), format);
            if (!format.equals("gif")) assertEquals(img.getRGB(3, 2), back.getRGB(3, 2), format);  // GIF re-palettes grey
        }
    }

    @Test
    void anIdxFileIsNotAnImage() throws IOException {
        Path f = dir.resolve("two.idx");
        IdxWriter.write(f, new int[] {2, 28, 28}, new byte[2 * 784], false);
        assertNull(ImageFiles.read(f));  // the WBMP decoder would take it as an 8x3 picture
    }

    @Test
    void aHugeDeclaredSizeIsRefusedBeforeDecoding() throws IOException {
        Path f = dir.resolve("huge.png");
        Files.write(f, png(20000, 20000));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains("20000x20000"), e.getMessage());
    }

    @Test
    void damagedDataIsAnImageFormatExceptionNamingTheFile() throws IOException {
        Path f = dir.resolve("cut.png");
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        byte[] whole = out.toByteArray();
        Files.write(f, Arrays.copyOf(whole, whole.length / 2));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    /** A grey 8-bit PNG header declaring width × height, with a tiny (wrong) data chunk. */
    static byte[] png(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        Deflater d = new Deflater();
        d.setInput(new byte[1000]);
        d.finish();
        byte[] z = new byte[100];
        chunk(out, "IDAT", Arrays.copyOf(z, d.deflate(z)));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
