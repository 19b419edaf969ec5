// ModelInput.java -- reads a model file's inflated body with explicit lengths, every count bounded before use.
package sentinel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A model body held in memory, read front to back. Why in memory: a count can then be checked against the bytes
 * actually left before anything is allocated for it, so a tampered length fails fast instead of reserving
 * gigabytes; and the gzip trailer (CRC and length) has been checked before the first value is read. Beyond
 * gzip's own errors while inflating, every problem is a {@link Corrupt} naming what was wrong.
 */
final class ModelInput {
    /** A body that breaks the format: its message says what was wrong, for "... is corrupt (message)". */
    static final class Corrupt extends IOException {
        Corrupt(String reason) {
            super(reason);
        }
    }

    private final byte[] bytes;
    private final int length;
    private int pos;

    private ModelInput(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
    }

    /**
     * Inflates the gzip stream {@code in} to its end (so its CRC and length trailer are checked: a cut file throws
     * EOFException, a damaged one ZipException); a body over {@code maxBytes} is Corrupt.
     */
    static ModelInput inflate(InputStream in, int maxBytes) throws IOException {
        GZIPInputStream gz = new GZIPInputStream(in, 1 << 16);
        byte[] buf = new byte[1 << 18];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n >= maxBytes) {
                    if (gz.read() < 0) break;
                    throw new Corrupt("its body is over " + maxBytes / (1 << 20) + " MiB");
                }
                buf = Arrays.copyOf(buf, (int) Math.min(2L * buf.length, maxBytes));
            }
            int r = gz.read(buf, n, buf.length - n);
            if (r < 0) break;
            n += r;
        }
        return new ModelInput(buf, n);
    }

    /** Bytes not read yet. */
    int remaining() {
        return length - pos;
    }

    private void need(int n, String what) throws Corrupt {
        if (n > length - pos) {
            throw new Corrupt("it ends inside " + what);
        }
    }

    int u8(String what) throws Corrupt {
        need(1, what);
        return bytes[pos++] & 0xff;
    }

    /** A 0 or 1 byte. */
    boolean bool(String what) throws Corrupt {
        int b = u8(what);
        if (b > 1) {
            throw new Corrupt(what + ": " + b + ", not 0 or 1");
        }
        return b == 1;
    }

    /** An unsigned LEB128 varint; one of more than 64 bits is Corrupt. */
    long varLong(String what) throws Corrupt {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8(what);
            if (shift == 63 && b > 1) break;
            v |= (long) (b & 0x7f) << shift;
            if (b < 0x80) return v;
        }
        throw new Corrupt(what + ": not a valid number");
    }

    /** A varint in [min, max]. */
    int varInt(String what, int min, int max) throws Corrupt {
        long v = varLong(what);
        if (v < min || v > max) { // a varint over 2^63 reads as negative and fails here too
            throw new Corrupt(what + ": " + Long.toUnsignedString(v) + ", outside " + min + ".." + max);
        }
        return (int) v;
    }

    /**
     * A count of items in [min, max] that also fits in the bytes left, each item taking at least
     * {@code bytesEach}: checked before the caller allocates anything for them.
     */
    int count(String what, int min, int max, int bytesEach) throws Corrupt {
        int n = varInt(what, min, max);
        if ((long) n * bytesEach > remaining()) {
            throw new Corrupt(what + ": " + n + ", more than the " + remaining() + " bytes left can hold");
        }
        return n;
    }

    /** A zigzag-coded signed varint (small magnitudes stay short). */
    long signedLong(String what) throws Corrupt {
        long v = varLong(what);
        return (v >>> 1) ^ -(v & 1);
    }

    /** A signed varint that must fit an int. */
    int signedInt(String what) throws Corrupt {
        long v = signedLong(what);
        if (v != (int) v) {
            throw new Corrupt(what + ": " + v + ", outside the int range");
        }
        return (int) v;
    }

    /** Eight bytes, big-endian. */
    long fixed64(String what) throws Corrupt {
        need(8, what);
        byte[] b = bytes;
        int p = pos;
        pos = p + 8;
        return ((long) b[p] << 56) | (b[p + 1] & 0xffL) << 48 | (b[p + 2] & 0xffL) << 40 | (b[p + 3] & 0xffL) << 32
                | (b[p + 4] & 0xffL) << 24 | (b[p + 5] & 0xffL) << 16 | (b[p + 6] & 0xffL) << 8 | (b[p + 7] & 0xffL);
    }

    /**
     * Tree nodes into {@code tags} and {@code values}: each a varint tag in [0, maxTag] and an 8-byte double. One
     * tight loop rather than calls per value, as loading runs mostly in the interpreter (the JIT compiles it on
     * stack soon); a tag over one byte or past maxTag takes the checked path.
     */
    void nodes(int[] tags, double[] values, int maxTag) throws Corrupt {
        byte[] b = bytes;
        for (int n = 0; n < tags.length; n++) {
            int p = pos;
            int tag = p < length ? b[p] : -1;
            if (tag < 0 || tag > maxTag || length - p < 9) {
                tags[n] = varInt("a tree node", 0, maxTag);
                values[n] = f64("a tree node");
                continue;
            }
            tags[n] = tag;
            values[n] = Double.longBitsToDouble(((long) b[p + 1] << 56) | (b[p + 2] & 0xffL) << 48 | (b[p + 3] & 0xffL) << 40
                    | (b[p + 4] & 0xffL) << 32 | (b[p + 5] & 0xffL) << 24 | (b[p + 6] & 0xffL) << 16 | (b[p + 7] & 0xffL) << 8
                    | (b[p + 8] & 0xffL));
            pos = p + 9;
        }
    }

    /** A double from its eight IEEE 754 bytes. */
    double f64(String what) throws Corrupt {
        return Double.longBitsToDouble(fixed64(what));
    }

    /** A double that must be finite. */
    double finite(String what) throws Corrupt {
        double v = f64(what);
        if (!Double.isFinite(v)) {
            throw new Corrupt(what + ": " + v);
        }
        return v;
    }

    /** {@code n} finite doubles. */
    double[] finite(String what, int n) throws Corrupt {
        need(8 * n, what);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = finite(what);
        }
        return out;
    }

    /** Strictly valid UTF-8 of at most {@code maxBytes} bytes after a length varint: 0 for null, else bytes + 1. */
    String string(String what, int maxBytes) throws Corrupt {
        int n = varInt(what, 0, maxBytes + 1);
        if (n == 0) {
            return null;
        }
        need(n - 1, what);
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, pos, n - 1)).toString();
            pos += n - 1;
            return s;
        } catch (CharacterCodingException e) {
            throw new Corrupt(what + ": not valid UTF-8");
        }
    }

    /** Like {@link #string} but never null. */
    String text(String what, int maxBytes) throws Corrupt {
        String s = string(what, maxBytes);
        if (s == null) {
            throw new Corrupt(what + ": missing");
        }
        return s;
    }
}
