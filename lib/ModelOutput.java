// ModelOutput.java -- writes the values of a model file's body: varints, fixed 8-byte doubles, length-prefixed UTF-8.
package sentinel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The writing half of {@link ModelInput}: the same encodings, value for value. */
final class ModelOutput {
    private final OutputStream out;
    private long written;

    ModelOutput(OutputStream out) {
        this.out = out;
    }

    /** Bytes written so far. */
    long written() {
        return written;
    }

    void u8(int b) throws IOException {
        out.write(b);
        written++;
    }

    void bool(boolean b) throws IOException {
        u8(b ? 1 : 0);
    }

    /** Unsigned LEB128: seven bits a byte, low bits first, the top bit set on all but the last byte. */
    void varLong(long v) throws IOException {
        while ((v & ~0x7fL) != 0) {
            u8((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        u8((int) v);
    }

    /** Zigzag, then varint: small negative numbers stay short too. */
    void signedLong(long v) throws IOException {
        varLong((v << 1) ^ (v >> 63));
    }

    void fixed64(long v) throws IOException {
        for (int shift = 56; shift >= 0; shift -= 8) {
            u8((int) (v >>> shift));
        }
    }

    /** The double's raw IEEE 754 bits, so every value (and -0.0) comes back exactly. */
    void f64(double v) throws IOException {
        fixed64(Double.doubleToRawLongBits(v));
    }

    void f64(double[] values) throws IOException {
        for (double v : values) {
            f64(v);
        }
    }

    /** Length varint (0 for null, else bytes + 1), then UTF-8; fails for more than {@code maxBytes} bytes. */
    void string(String s, int maxBytes) throws IOException {
        if (s == null) {
            varLong(0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ModelFormat.limit("a text of the model", b.length, maxBytes);
        varLong(b.length + 1L);
        out.write(b);
        written += b.length;
    }
}
