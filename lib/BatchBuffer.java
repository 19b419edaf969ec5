// BatchBuffer.java -- a growable, unsynchronised byte buffer that one batch block renders its output into.
package sentinel;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * An {@link OutputStream} into a byte array that grows as needed, like {@code ByteArrayOutputStream} but without
 * its lock on every write (each block is rendered by one thread at a time) and reusable after {@link #reset}.
 */
final class BatchBuffer extends OutputStream {
    private byte[] bytes;
    private int size;

    BatchBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    @Override
    public void write(int b) {
        if (size == bytes.length) grow(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (len > bytes.length - size) grow(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    private void grow(int needed) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + needed));
    }

    /** Writes everything held to {@code out}. */
    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
    }
}
