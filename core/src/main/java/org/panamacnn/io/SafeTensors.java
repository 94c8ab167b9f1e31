package org.panamacnn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON mapping each
 * tensor name to {dtype, shape, data_offsets} (offsets relative to the end of the header) plus
 * an optional "__metadata__" map of strings, then the raw little-endian tensor bytes. Only
 * float32 ("F32") tensors are written; read are F32 tensors and PyTorch's int64 ("I64") batch-norm
 * counters (num_batches_tracked), as floats.
 *
 * <p>Writing is atomic: the bytes go to a temporary file in the same directory, which is forced
 * to disk and then renamed over the target, so a crash leaves the old file or the new one.
 */
public final class SafeTensors {
    /** Headers larger than this are refused (the reference implementation's limit is 100 MB). */
    static final long MAX_HEADER = 100L << 20;
    private static final String METADATA = "__metadata__";

    private SafeTensors() {}

    /** The tensors and metadata of a file, in file order. */
    public record Contents(Map<String, NamedTensor> tensors, Map<String, String> metadata) {
        public NamedTensor require(String name, String file) throws ModelFormatException {
            NamedTensor t = tensors.get(name);
            if (t == null) throw new ModelFormatException(file, "has no tensor \"" + name + "\"");
            return t;
        }
    }

    public static void write(Path file, List<NamedTensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put(METADATA, new LinkedHashMap<>(metadata));
        long offset = 0;
        for (NamedTensor t : tensors) {
            if (t.name().equals(METADATA) || header.containsKey(t.name())) {
                throw new IllegalArgumentException("tensor name \"" + t.name() + "\" is reserved or repeated");
            }
            List<Object> shape = new ArrayList<>();
            for (int d : t.shape()) shape.add(d);
            long end = offset + 4L * t.data().length;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", shape);
            entry.put("data_offsets", List.of(offset, end));
            header.put(t.name(), entry);
            offset = end;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7; // keep the tensor data 8-byte aligned, padding with spaces
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();

        try {
            writeAtomically(file, head, tensors);
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {  // a full disk says only "No space left on device": say where
            throw new IOException("cannot write " + file + ": " + IoErrors.reason(e), e);
        }
    }

    private static void writeAtomically(Path file, ByteBuffer head, List<NamedTensor> tensors) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = newTempFile(dir, file.getFileName().toString());
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head);
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (NamedTensor t : tensors) {
                    for (float v : t.data()) {
                        if (buf.remaining() < 4) {
                            buf.flip();
                            writeFully(ch, buf);
                            buf.clear();
                        }
                        buf.putFloat(v);
                    }
                }
                buf.flip();
                writeFully(ch, buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new empty file next to the target, made with the default permissions (the umask's):
     * Files.createTempFile makes it owner-only, and the rename would pass that on to the model file.
     */
    private static Path newTempFile(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) throw e;
            }
        }
    }

    public static Contents read(Path file) throws IOException {
        String name = file.toString();
        long size = Files.size(file);
        if (size < 8) throw new ModelFormatException(name, 0, "file is " + size + " bytes, too short for the 8-byte header length");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lenBuf = readAt(ch, 0, 8, name);
            long headerLen = lenBuf.order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw new ModelFormatException(name, 0, "header length " + headerLen + " is impossible for a file of "
                        + size + " bytes (not a safetensors file?)");
            }
            ByteBuffer headBuf = readAt(ch, 8, (int) headerLen, name);
            String json = StandardCharsets.UTF_8.decode(headBuf).toString();
            Object parsed;
            try {
                parsed = Json.parse(json);
            } catch (Json.JsonException e) {
                throw new ModelFormatException(name, 8 + e.offset(), "header is not valid JSON: " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> header)) throw new ModelFormatException(name, 8, "header is not a JSON object");
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> infos = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : header.entrySet()) {
                String key = (String) e.getKey();
                if (key.equals(METADATA)) {
                    if (!(e.getValue() instanceof Map<?, ?> meta)) throw new ModelFormatException(name, 8, "__metadata__ is not an object");
                    for (Map.Entry<?, ?> m : meta.entrySet()) {
                        if (!(m.getValue() instanceof String s)) {
                            throw new ModelFormatException(name, 8, "__metadata__ value of \"" + m.getKey() + "\" is not a string");
                        }
                        metadata.put((String) m.getKey(), s);
                    }
                    continue;
                }
                infos.put(key, TensorInfo.of(key, e.getValue(), name));
            }
            requireTiling(infos, dataStart, dataLen, name);
            // Only now, with every byte accounted for exactly once, allocate: the floats read
            // can never exceed the file's size, whatever the header claims.
            Map<String, NamedTensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, TensorInfo> e : infos.entrySet()) {
                TensorInfo info = e.getValue();
                ByteBuffer raw = readAt(ch, dataStart + info.begin, (int) (info.end - info.begin), name).order(ByteOrder.LITTLE_ENDIAN);
                float[] data = new float[info.count];
                if (info.int64) for (int i = 0; i < data.length; i++) data[i] = raw.getLong(); // a counter: as a float
                else raw.asFloatBuffer().get(data);
                tensors.put(e.getKey(), new NamedTensor(e.getKey(), info.shape, data));
            }
            return new Contents(tensors, metadata);
        }
    }

    /** The tensors, in offset order, must cover the data section exactly: no gap, overlap or tail. */
    private static void requireTiling(Map<String, TensorInfo> infos, long dataStart, long dataLen, String name)
            throws ModelFormatException {
        List<Map.Entry<String, TensorInfo>> byOffset = new java.util.ArrayList<>(infos.entrySet());
        byOffset.sort(java.util.Comparator.comparingLong(e -> e.getValue().begin));
        long next = 0;
        for (Map.Entry<String, TensorInfo> e : byOffset) {
            TensorInfo info = e.getValue();
            if (info.begin != next) {
                throw new ModelFormatException(name, dataStart + Math.min(info.begin, next), "tensor \"" + e.getKey()
                        + "\" starts at data offset " + info.begin + " but the previous tensor ends at " + next
                        + (info.begin < next ? " (overlapping tensors)" : " (a gap)"));
            }
            if (info.end > dataLen) {
                throw new ModelFormatException(name, dataStart + info.begin, "tensor \"" + e.getKey() + "\" ends at data offset "
                        + info.end + " but the file holds only " + dataLen + " data bytes (truncated?)");
            }
            next = info.end;
        }
        if (next != dataLen) {
            throw new ModelFormatException(name, dataStart + next, "tensors cover " + next + " of the " + dataLen
                    + " data bytes (trailing bytes)");
        }
    }

    /** A tensor's place in the data; int64: batch norm's num_batches_tracked as PyTorch saves it, read as a float. */
    private record TensorInfo(int[] shape, int count, long begin, long end, boolean int64) {
        static TensorInfo of(String key, Object value, String file) throws ModelFormatException {
            if (!(value instanceof Map<?, ?> m)) throw new ModelFormatException(file, 8, "entry \"" + key + "\" is not an object");
            boolean int64 = "I64".equals(m.get("dtype")) && isBatchCounter(key);
            if (!"F32".equals(m.get("dtype")) && !int64) {
                throw new ModelFormatException(file, 8, "tensor \"" + key + "\" has dtype " + m.get("dtype")
                        + "; only F32 is supported (and I64 for batch norm's num_batches_tracked)");
            }
            if (!(m.get("shape") instanceof List<?> shapeList) || !(m.get("data_offsets") instanceof List<?> offsets)
                    || offsets.size() != 2) {
                throw new ModelFormatException(file, 8, "tensor \"" + key + "\" needs a shape list and two data_offsets");
            }
            int[] shape = new int[shapeList.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = wholeNumber(shapeList.get(i), key, file);
                count *= shape[i];
                if (count > Integer.MAX_VALUE) throw new ModelFormatException(file, 8, "tensor \"" + key + "\" is too large");
            }
            long begin = wholeNumber(offsets.get(0), key, file);
            long end = wholeNumber(offsets.get(1), key, file);
            long bytes = (int64 ? 8 : 4) * count;
            if (end < begin || end - begin != bytes) {
                throw new ModelFormatException(file, 8, "tensor \"" + key + "\": data_offsets [" + begin + ", " + end
                        + ") hold " + (end - begin) + " bytes but shape needs " + bytes);
            }
            return new TensorInfo(shape, (int) count, begin, end, int64);
        }

        private static int wholeNumber(Object v, String key, String file) throws ModelFormatException {
            if (v instanceof Double d && d >= 0 && d == Math.rint(d) && d <= Integer.MAX_VALUE) return d.intValue();
            throw new ModelFormatException(file, 8, "tensor \"" + key + "\": " + v + " is not a valid size or offset");
        }
    }

    /**
     * PyTorch's batch-norm counter, "….num_batches_tracked" (an int64 scalar in every torchvision
     * state_dict): a file saved from PyTorch holds it; panama-cnn keeps it with the file's tensors
     * but no layer reads it (PyTorch uses it only when momentum is None).
     */
    public static boolean isBatchCounter(String name) {
        return name.equals("num_batches_tracked") || name.endsWith(".num_batches_tracked");
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length, String file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) throw new ModelFormatException(file, position + buf.position(), "file ends early");
        }
        return buf.flip();
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** Makes the rename durable: fsync of the directory (not possible on every platform, hence best effort). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory; the file itself was already forced.
        }
    }
}
