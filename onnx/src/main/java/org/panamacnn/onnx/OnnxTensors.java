package org.panamacnn.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.panamacnn.onnx.proto.Onnx;

/**
 * The values of an ONNX initializer as floats, by its declared data type: float32 as it is,
 * float16, bfloat16 and float64 converted explicitly (one rounding to the nearest float), and
 * every other type refused by name — an integer tensor where a weight is needed is the file's
 * mistake, never something to guess about.
 */
final class OnnxTensors {
    static final int FLOAT = 1, INT64 = 7, FLOAT16 = 10, DOUBLE = 11, BFLOAT16 = 16;

    private static final String[] NAMES = {"UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING",
            "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN",
            "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1"};

    private OnnxTensors() {}

    /** The ONNX name of a data type code ("INT64 (7)"), for messages. */
    static String typeName(int code) {
        return (code >= 0 && code < NAMES.length ? NAMES[code] : "unknown") + " (" + code + ")";
    }

    /** A type the importer reads: a float type (weights) or INT64 (shapes, axes, indices). */
    static boolean isNumber(int code) {
        return isFloatType(code) || code == INT64;
    }

    static boolean isFloatType(int code) {
        return code == FLOAT || code == FLOAT16 || code == DOUBLE || code == BFLOAT16;
    }

    /**
     * The count values of a float-typed tensor, converted to float32.
     *
     * @throws OnnxFormatException naming the tensor when the data does not hold count values
     */
    static float[] floats(Onnx.TensorProto t, int count, String file) throws OnnxFormatException {
        float[] v = convert(t, count, file);
        for (int i = 0; i < v.length; i++) {  // NaN, or a float64 beyond float range: no weight of a working model
            if (!Float.isFinite(v[i])) {
                throw new OnnxFormatException(file, "initializer " + t.getName() + " (" + typeName(t.getDataType()) + ") holds "
                        + v[i] + " at index " + i + " (as float32); weights must be finite");
            }
        }
        return v;
    }

    /**
     * The values, allocated only once the data is known to hold all count of them: a header may
     * claim 2^31 values over a few bytes, and that claim must cost nothing.
     */
    private static float[] convert(Onnx.TensorProto t, int count, String file) throws OnnxFormatException {
        int type = t.getDataType();
        if (t.hasRawData()) {
            int width = switch (type) {
                case FLOAT -> 4;
                case DOUBLE -> 8;
                default -> 2;
            };
            long need = (long) width * count;
            if (t.getRawData().size() != need) {
                throw new OnnxFormatException(file, "initializer " + t.getName() + " (" + typeName(type) + ") holds "
                        + t.getRawData().size() + " bytes, its dims need " + need);
            }
            ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[count];
            for (int i = 0; i < count; i++) {
                v[i] = switch (type) {
                    case FLOAT -> b.getFloat();
                    case DOUBLE -> (float) b.getDouble();
                    case FLOAT16 -> Float.float16ToFloat(b.getShort());
                    default -> bfloat16(b.getShort());
                };
            }
            return v;
        }
        int held = switch (type) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            default -> t.getInt32DataCount();  // float16 and bfloat16 keep their bits in int32_data
        };
        if (held != count) {
            throw new OnnxFormatException(file, "initializer " + t.getName() + " (" + typeName(type) + ") holds " + held
                    + " values, its dims need " + count);
        }
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = switch (type) {
                case FLOAT -> t.getFloatData(i);
                case DOUBLE -> (float) t.getDoubleData(i);
                case FLOAT16 -> Float.float16ToFloat((short) t.getInt32Data(i));
                default -> bfloat16((short) t.getInt32Data(i));
            };
        }
        return v;
    }

    /** bfloat16 is the top half of a float32's bits. */
    private static float bfloat16(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
