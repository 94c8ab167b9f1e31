package org.panamacnn.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.panamacnn.data.IdxFile;
import org.panamacnn.data.IdxFormatException;

/** IDX files, raw or gzip: read them or throw IdxFormatException; nothing else. */
class IdxFuzzTest {
    @FuzzTest
    void read(byte[] input) throws IOException {
        try {
            IdxFile idx = IdxFile.read(new ByteArrayInputStream(input), "fuzz-input");
            long product = 1;
            for (int d : idx.dims()) product *= d;
            if (product != idx.length()) throw new AssertionError("dims " + product + " but " + idx.length() + " bytes");
        } catch (IdxFormatException expected) {
            // the documented failure
        }
    }
}
