// Generations.java -- which file a LogTailer reads next: generations it fell behind on, and copytruncate copies.
package sentinel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The files beside a followed log that hold lines not read yet: numbered generations rotated after the current
 * file (queued oldest first and held open, so further renames cannot mix them up), and the copies copytruncate
 * leaves. Files read to their end are remembered by identity, so a copy is never read twice.
 */
final class Generations implements AutoCloseable {
    private final Path log;
    private final Deque<TailedFile> queue = new ArrayDeque<>();
    private final Set<String> readToEnd = new LinkedHashSet<>();
    /** The log has been copytruncated: the live file stays the same inode across generations. */
    private boolean copytruncated;

    Generations(Path log) {
        this.log = log;
    }

    /** True when generations are queued after the current file. */
    boolean queued() {
        return !queue.isEmpty();
    }

    /** Returns a queued generation taken by {@link #next} but not switched to after all. */
    void putBack(TailedFile t) {
        queue.addFirst(t);
    }

    /** Notes that {@code f} was read to its end. */
    void finished(TailedFile f) {
        if (!f.rotated) return;
        readToEnd.add(RotatedFiles.identity(f));
        if (readToEnd.size() > 64) readToEnd.remove(readToEnd.iterator().next());
    }

    /**
     * The file to read after {@code cur}: a queued generation, else the live file (null while it is missing).
     * Generations are looked for again after opening the live file: a rotation may have renamed one meanwhile.
     */
    TailedFile next(TailedFile cur) throws IOException {
        if (cur.rotated) queueNewer(cur);
        TailedFile next = queue.poll();
        if (next != null) return next;
        // copies that exist before the live file is opened are known; any later one may hold lines never read
        Set<String> known = copytruncated ? RotatedFiles.identities(log) : null;
        next = TailedFile.open(log);
        if (next == null) return null;
        if (cur.rotated) {
            queueNewer(cur);
            if (!queue.isEmpty()) {
                next.close();
                return queue.poll();
            }
        }
        if (known != null) {
            known.addAll(readToEnd);
            known.add(RotatedFiles.identity(cur));
            next.copiesAtOpen = known;
        }
        return next;
    }

    /** Queues the numbered generations rotated after the last one queued (or {@code cur}): {@code .2} was ours, so {@code .1} comes next. */
    private void queueNewer(TailedFile cur) throws IOException {
        TailedFile anchor = queue.isEmpty() ? cur : queue.peekLast();
        for (TailedFile t : RotatedFiles.openNewer(log, anchor.key)) {
            if (t.key.equals(cur.key) || queue.stream().anyMatch(q -> q.key.equals(t.key))) {
                t.close();
            } else {
                t.rotated = true;
                queue.add(t);
            }
        }
    }

    /** The copy of {@code cur}, truncated in place after processing up to {@code cur.committed}; null if none is beside it. */
    TailedFile copyOf(TailedFile cur) throws IOException {
        // the head read when the file was opened identifies its copy even before a line of it was processed
        if (cur.head().length == 0) return null;
        TailedFile c = RotatedFiles.openCopy(log, cur.head(), cur.committed, cur.key);
        if (c != null) {
            c.rotated = c.frozen = true;
            copytruncated = true;
        }
        return c;
    }

    /**
     * A live file reopened empty after a copytruncate has no first bytes to recognise its copy by: if it was
     * copytruncated again before a line of it was read, the copy that appeared since holds those lines.
     */
    TailedFile copiedBeforeFirstLine(TailedFile live) throws IOException {
        if (live.committed > 0 || live.head().length > 0) {
            live.copiesAtOpen = null;
            return null;
        }
        TailedFile c = RotatedFiles.openNewCopy(log, live.copiesAtOpen, live.ch);
        if (c != null) c.rotated = c.frozen = true;
        return c;
    }

    @Override
    public void close() {
        queue.forEach(TailedFile::close);
        queue.clear();
    }
}
