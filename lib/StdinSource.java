// StdinSource.java -- detect's lines from standard input (or any stream), read to its end.
package sentinel;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Lines from a stream until its end, framed like {@link LogTailer}'s: complete lines without {@code \r\n},
 * the unterminated last line too, cut at {@code maxLineBytes} with {@code " [truncated N bytes]"}, bad UTF-8
 * replaced. Positions are {@code stdin:<line number>}, counting from 1.
 */
public final class StdinSource implements LineSource {
    private final InputStream in;
    private final LineSplitter splitter;
    private volatile boolean closed;
    private long lineNo;

    public StdinSource(InputStream in, int maxLineBytes) {
        this.in = Objects.requireNonNull(in);
        this.splitter = new LineSplitter(maxLineBytes);
    }

    @Override
    public void run(Sink sink) throws Exception {
        LineSplitter.Handler h = (text, start, end) -> {
            sink.accept(text, "stdin:" + (++lineNo));
            return !closed;
        };
        try {
            while (!closed) {
                int n = splitter.read(in);
                if (n < 0) {
                    splitter.flushPartial(h);
                    return;
                }
                if (!splitter.drain(h)) return;
            }
        } catch (IOException e) {
            if (closed) return;
            throw SentinelException.failure("cannot read standard input: " + e.getMessage(), e);
        }
    }

    /** Stops {@link #run} after the line in hand; a read blocked on an idle terminal or pipe ends with the process. */
    @Override
    public void close() {
        closed = true;
    }
}
