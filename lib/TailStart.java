// TailStart.java -- decides where a LogTailer begins: its checkpoint, the file rotated meanwhile, start or end.
package sentinel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Where following begins: the file to read first (null: wait for the log) and the offset in it. */
record TailStart(TailedFile file, long offset) {
    private static final int TAIL_SCAN = 64 * 1024;

    /**
     * A valid checkpoint wins (in the live file, or in the rotated file it became, which is then finished first);
     * without one the live file is read from 0 (fromStart, or a checkpointed file that is gone) or from the end of
     * its last complete line. A missing log is waited for, except in once mode where it is bad input.
     */
    static TailStart decide(Path path, Path shown, Checkpoint cp, boolean fromStart, boolean once,
                            Consumer<String> notices) throws IOException {
        TailedFile live = TailedFile.open(path);
        if (cp != null) {
            TailStart resumed = resume(path, cp, live, notices);
            if (resumed != null) return resumed;
            notices.accept("checkpointed file (" + cp.file().getFileName() + " at offset " + cp.offset()
                    + ") is gone: reading " + shown + " from the start");
        }
        if (live == null) {
            if (once) throw SentinelException.badInput("log file " + shown + " does not exist");
            notices.accept("waiting for " + shown + " to appear");
            return new TailStart(null, 0);
        }
        long offset = fromStart || cp != null ? 0 : endOfLastLine(live);
        if (!once) notices.accept("following " + shown + (offset == 0 ? " from its start" : " from offset " + offset + " (its end)"));
        return new TailStart(live, offset);
    }

    private static TailStart resume(Path path, Checkpoint cp, TailedFile live, Consumer<String> notices) throws IOException {
        if (live != null && live.key.equals(cp.fileKey()) && cp.sameContent(live.ch)) {
            notices.accept("resuming from checkpoint at " + live.name + ":" + cp.offset());
            return new TailStart(live, cp.offset());
        }
        TailedFile old = RotatedFiles.openCheckpointed(path, cp);
        if (old == null) return null;
        if (live != null) live.close();
        old.rotated = true;
        old.frozen = !old.key.equals(cp.fileKey()); // a copytruncate copy: nobody writes to it
        notices.accept("log rotated while stopped: finishing " + old.name + " from offset " + cp.offset()
                + " before " + path.getFileName());
        return new TailStart(old, cp.offset());
    }

    /** Offset just after the last newline, so following starts with the next whole line. */
    private static long endOfLastLine(TailedFile t) throws IOException {
        long size = t.size();
        int n = (int) Math.min(size, TAIL_SCAN);
        ByteBuffer bb = ByteBuffer.allocate(n);
        while (bb.hasRemaining() && t.ch.read(bb, size - n + bb.position()) > 0) {
            // fill the window
        }
        for (int i = bb.position() - 1; i >= 0; i--) {
            if (bb.get(i) == '\n') return size - n + i + 1;
        }
        return size <= n ? 0 : size;
    }
}
