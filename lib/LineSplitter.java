// LineSplitter.java -- cuts a byte stream into complete, length-capped, UTF-8-decoded lines.
package sentinel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Frames bytes into lines for {@link LogTailer} and {@link StdinSource}: only complete lines come out (a partial
 * one waits for its newline or for {@link #flushPartial}), a trailing {@code \r} is dropped, bytes that are not
 * UTF-8 become U+FFFD, and a line longer than {@code maxLineBytes} keeps its first bytes (cut on a character
 * boundary) followed by {@code " [truncated N bytes]"}; the rest of it is skipped without being buffered.
 * Offsets are byte positions in the underlying stream, so a tailer can checkpoint exactly after a line.
 */
final class LineSplitter {
    /** Receives one line with the offsets of its first byte and of the byte after its terminator. */
    interface Handler {
        /** Returns false to stop draining after this line. */
        boolean line(String text, long start, long end) throws Exception;
    }

    /** Read size: large reads keep syscalls per line low when catching up on a backlog. */
    static final int CHUNK = 256 * 1024;
    /** The buffer holds a whole kept line plus a read, so the limit itself must stay reasonable. */
    static final int MAX_LIMIT = 64 * 1024 * 1024;

    private final int maxLineBytes;
    private final byte[] buf;
    private final ByteBuffer window;
    private int lineStart;    // index of the pending line's first byte (0 while cutting: the kept head sits there)
    private int scan;         // where the search for the next newline resumes
    private int end;          // bytes held
    private long pos;         // stream offset just after buf[end - 1], i.e. where the next read starts
    private long pendingStart; // stream offset of the pending line's first byte
    private boolean cutting;  // pending line is over the limit: buf[0, keep) is its head, the rest is dropped
    private int keep;
    private long dropped;
    private boolean droppedCr; // last dropped byte was '\r' (it is the terminator's, not content, if '\n' follows)

    LineSplitter(int maxLineBytes) {
        if (maxLineBytes < 1 || maxLineBytes > MAX_LIMIT) {
            throw SentinelException.badInput("max_line_bytes must be between 1 and " + MAX_LIMIT + ", got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.buf = new byte[maxLineBytes + CHUNK];
        this.window = ByteBuffer.wrap(buf);
    }

    /** Forgets everything held; the next byte read is at stream offset {@code offset}. */
    void reset(long offset) {
        lineStart = scan = end = 0;
        pos = pendingStart = offset;
        cutting = false;
        dropped = 0;
    }

    /** Stream offset of the next byte to read. */
    long position() {
        return pos;
    }

    /** True when bytes of an unfinished line are held (or being skipped). */
    boolean hasPartial() {
        return cutting || end > lineStart;
    }

    /** The stream's bytes [offset, offset + len) if the buffer still holds them (it does for the last read); else null. */
    byte[] held(long offset, int len) {
        long first = pos - end; // stream offset of buf[0] while no line is being cut
        if (cutting || offset < first || offset + len > pos) return null;
        return Arrays.copyOfRange(buf, (int) (offset - first), (int) (offset - first) + len);
    }

    /** Reads once from {@code ch} at {@link #position()}; returns the bytes read (0 at end of file). */
    int read(FileChannel ch) throws IOException {
        makeRoom();
        window.limit(buf.length).position(end);
        int n = ch.read(window, pos);
        if (n > 0) appended(n);
        return Math.max(n, 0);
    }

    /** Reads once from {@code in} (may block); returns the bytes read, or -1 at end of stream. */
    int read(InputStream in) throws IOException {
        makeRoom();
        int n = in.read(buf, end, buf.length - end);
        if (n > 0) appended(n);
        return n;
    }

    private void appended(int n) {
        end += n;
        pos += n;
    }

    /** Hands every complete line held to {@code h}; returns false if {@code h} asked to stop. */
    boolean drain(Handler h) throws Exception {
        while (true) {
            int nl = indexOfNewline(scan, end);
            if (nl < 0) {
                scan = end;
                settlePartial();
                return true;
            }
            long start = pendingStart;
            long lineEnd = pos - (end - (nl + 1));
            String text = cutting ? cutText(nl) : text(lineStart, nl);
            lineStart = scan = nl + 1;
            pendingStart = lineEnd;
            cutting = false;
            if (!h.line(text, start, lineEnd)) return false;
        }
    }

    /** Emits the unfinished line held, if any, as a line of its own (end of input, flush timeout, rotation). */
    boolean flushPartial(Handler h) throws Exception {
        if (!hasPartial()) return true;
        String text = cutting ? cutText(end) : text(lineStart, end);
        long start = pendingStart;
        long stop = pos;
        reset(pos);
        return h.line(text, start, stop);
    }

    private int indexOfNewline(int from, int to) {
        byte[] b = buf;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') return i;
        }
        return -1;
    }

    /** The line in buf[from, to) without its '\r', cut if over the limit. */
    private String text(int from, int to) {
        int len = to - from;
        if (len > 0 && buf[to - 1] == '\r') len--;
        if (len <= maxLineBytes) return new String(buf, from, len, StandardCharsets.UTF_8);
        int kept = boundary(from, from + maxLineBytes) - from;
        return new String(buf, from, kept, StandardCharsets.UTF_8) + marker(len - kept);
    }

    /** The cut line whose skipped tail ends at buf[to] (a newline, or the end of input). */
    private String cutText(int to) {
        int tail = to - keep;
        boolean cr = tail > 0 ? buf[to - 1] == '\r' : droppedCr;
        long total = dropped + tail - (cr ? 1 : 0);
        return new String(buf, 0, keep, StandardCharsets.UTF_8) + marker(total);
    }

    static String marker(long droppedBytes) {
        return " [truncated " + droppedBytes + " bytes]";
    }

    /** Drops what cannot be part of a kept line: the tail of a line already over the limit. */
    private void settlePartial() {
        if (cutting) {
            if (end > keep) {
                droppedCr = buf[end - 1] == '\r';
                dropped += end - keep;
                end = scan = keep;
            }
        } else if (end - lineStart > maxLineBytes + 1) {
            // over the limit even if its last byte is the '\r' of a CRLF: keep the head, skip the rest
            makeRoom();
            keep = boundary(0, maxLineBytes);
            droppedCr = buf[end - 1] == '\r';
            dropped = end - keep;
            end = scan = keep;
            cutting = true;
        }
    }

    /** Backs a cut off to the start of a UTF-8 character, so the kept head does not end in half a character. */
    private int boundary(int from, int cut) {
        int k = cut;
        while (k > from && cut - k < 3 && (buf[k] & 0xC0) == 0x80) k--;
        return (buf[k] & 0xC0) == 0x80 ? cut : k;
    }

    /** Moves the pending line to the front so a read has room after it. */
    private void makeRoom() {
        if (lineStart == 0) return;
        int n = end - lineStart;
        System.arraycopy(buf, lineStart, buf, 0, n);
        scan -= lineStart;
        end = n;
        lineStart = 0;
    }
}
