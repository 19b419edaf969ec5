// LogTailer.java -- follows a log file by name like `tail -F`, across rotation, truncation and restarts.
package sentinel;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Follows a log file by name like {@code tail -F} and hands each complete line to the sink once, in order.
 * Rename-and-create rotation: the old file is read to its end (and while the new file stays empty, until it has
 * been idle a second) before the new one is read from its start; numbered generations rotated meanwhile
 * ({@code access.log.2} while we were on it, then {@code .1}) are read in between. Copytruncate: the unread rest is
 * taken from the copy beside it, then the file is read again from 0. A missing file is waited for. With a state
 * file, a {@link Checkpoint} is written at most every second and on exit, and a restart resumes exactly after the
 * last processed line, finishing a file rotated meanwhile first. Lines over {@code maxLineBytes} are cut and end
 * with {@code " [truncated N bytes]"}; an unterminated last line is emitted after 5 s without growth.
 * Change notifications come from the JDK WatchService (inotify), with {@code sleepInterval} polling as the fallback.
 */
public final class LogTailer implements LineSource {
    private static final long SECOND = 1_000_000_000L;
    /** A rotated file may still get writes until its writer reopens; when the new file stays empty, wait this long. */
    private static final long ROTATE_IDLE_NANOS = SECOND;

    private final Path path;
    private final Path shown;
    private final String base;
    private final long sleepNanos;
    private final boolean fromStart;
    private final boolean once;
    private final Consumer<String> notices;
    private final LineSplitter splitter;
    private final LineSplitter.Handler handler = this::onLine;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Generations generations;
    private final CheckpointWriter checkpoints;
    private volatile boolean closed;
    private volatile Thread runner;
    private volatile DirectoryWatch watch;
    private long partialTimeoutNanos = 5 * SECOND;
    private Sink sink;
    private TailedFile cur;
    private long missingSince = -1;
    private boolean missingNoticed;

    /**
     * fromStart: read existing content first, else start at the end of the last complete line (unless a
     * checkpoint resumes). once: stop at end of file instead of following. notices: one-line human messages.
     */
    public LogTailer(TailSettings settings, boolean fromStart, boolean once, Consumer<String> notices) {
        if (settings.stdin()) throw SentinelException.badInput("standard input cannot be followed as a file: read it with StdinSource");
        this.shown = Path.of(Printable.path(settings.logFile()));
        this.path = settings.logFile().toAbsolutePath().normalize();
        this.base = path.getFileName().toString();
        Duration sleep = settings.sleepInterval();
        this.sleepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), sleep == null ? SECOND : sleep.toNanos());
        this.fromStart = fromStart;
        this.once = once;
        this.notices = notices != null ? notices : m -> { };
        this.splitter = new LineSplitter(settings.maxLineBytes());
        this.generations = new Generations(path);
        this.checkpoints = new CheckpointWriter(settings.stateFile(), path);
    }

    /**
     * Runs {@code hook} before each checkpoint is written, e.g. to flush a sink that batches lines, so that a
     * checkpoint never covers a line whose processing is not complete yet. Call before {@link #run}.
     */
    public LogTailer beforeCheckpoint(Runnable hook) {
        checkpoints.beforeWrite(hook);
        return this;
    }

    /** How long an unterminated line may sit without growth before it is emitted as it is (default 5 s). */
    LogTailer partialLineTimeout(Duration d) {
        partialTimeoutNanos = d.toNanos();
        return this;
    }

    @Override
    public void run(Sink sink) throws Exception {
        synchronized (this) {
            if (runner != null) throw new IllegalStateException("LogTailer.run may only be called once");
            runner = Thread.currentThread();
        }
        this.sink = Objects.requireNonNull(sink);
        try {
            if (!closed) {
                start();
                follow();
            }
        } catch (IOException e) {
            throw SentinelException.failure("cannot read " + shown + ": " + e.getMessage(), e);
        } finally {
            try {
                checkpoints.write(cur, true);
            } finally {
                if (cur != null) cur.close();
                generations.close();
                if (watch != null) watch.close();
                finished.countDown();
            }
        }
    }

    /** Stops {@link #run} after the line in hand; waits (up to 5 s) for its final checkpoint unless called by it. */
    @Override
    public void close() {
        closed = true;
        DirectoryWatch w = watch;
        if (w != null) w.close();
        Thread t = runner;
        if (t == null || t == Thread.currentThread()) return;
        LockSupport.unpark(t);
        try {
            finished.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void follow() throws Exception {
        while (!closed) {
            boolean progressed = step();
            if (closed) break;
            checkpoints.write(cur, false);
            if (progressed) continue;
            if (once) {
                if (cur != null) splitter.flushPartial(handler);
                break;
            }
            await();
        }
    }

    private boolean onLine(String text, long start, long end) throws Exception {
        TailedFile t = cur;
        sink.accept(text, t.prefix + start);
        t.committed = end;
        return !closed;
    }

    /** Does one unit of work; false when there was nothing to do (time to wait for a change). */
    private boolean step() throws Exception {
        if (cur == null) return openAppeared();
        int n = splitter.read(cur.ch);
        // checked after the read: bytes read while the file was being truncated and refilled are thrown away
        if (cur.rewritten(splitter.position())) {
            recoverTruncation();
            return true;
        }
        if (cur.copiesAtOpen != null && copiedBeforeFirstLine()) return true;
        if (n > 0) {
            cur.lastGrowth = System.nanoTime();
            cur.extendHead(splitter);
            splitter.drain(handler);
            return true;
        }
        return atEnd();
    }

    /** At the end of the current file: check the name for rotation, flush a stale partial line. */
    private boolean atEnd() throws Exception {
        long now = System.nanoTime();
        RotatedFiles.Stat live = RotatedFiles.stat(path);
        noteMissing(live == null, now);
        boolean replaced = live != null && !live.key().equals(cur.key);
        if (replaced && !cur.rotated) markRotated();
        if (cur.rotated && (cur.frozen || once || generations.queued())) return switchFile();
        if (replaced && (live.size() > 0 || now - cur.lastGrowth >= ROTATE_IDLE_NANOS)) return switchFile();
        if (!once && splitter.hasPartial() && now - cur.lastGrowth >= partialTimeoutNanos) {
            splitter.flushPartial(handler);
            return true;
        }
        return false;
    }

    private void markRotated() throws IOException {
        cur.rotated = true;
        Path now = RotatedFiles.findByKey(path, cur.key);
        if (now == null) {
            notices.accept("log rotated: finishing the old " + base + " (renamed away or deleted), then following the new one");
            return;
        }
        cur.named(now.getFileName().toString());
        notices.accept("log rotated: finishing " + cur.name + ", then following the new " + base);
    }

    /** Reads the current file to its very end, then moves to the next queued generation or the live file. */
    private boolean switchFile() throws Exception {
        TailedFile next = generations.next(cur);
        if (next == null) return false;
        boolean queued = next.rotated;
        if (next.key.equals(cur.key)) {
            next.close();
            cur.rotated = false;
            return false;
        }
        while (!closed && splitter.read(cur.ch) > 0) {
            cur.extendHead(splitter);
            if (!splitter.drain(handler)) break;
        }
        if (closed) {
            if (queued) generations.putBack(next); else next.close();
            return true;
        }
        splitter.flushPartial(handler);
        generations.finished(cur);
        cur.close();
        cur = next;
        splitter.reset(0);
        if (queued) notices.accept("log rotated: reading " + cur.name + ", rotated after the file before it");
        return true;
    }

    /** The file was truncated in place: take the unread rest from its copy if one is beside it, then restart at 0. */
    private void recoverTruncation() throws IOException {
        long done = cur.committed;
        TailedFile c = generations.copyOf(cur);
        if (c != null) {
            notices.accept("log truncated (copytruncate): finishing " + c.name + " from offset " + done
                    + ", then reading " + base + " from the start");
            cur.close();
            cur = c;
            begin(done);
            return;
        }
        notices.accept("log " + cur.name + " was truncated: reading it from the start");
        cur.restart();
        splitter.reset(0);
    }

    /** The live file was copytruncated again before a line of it was read: read that copy first. */
    private boolean copiedBeforeFirstLine() throws IOException {
        TailedFile c = generations.copiedBeforeFirstLine(cur);
        if (c == null) return false;
        notices.accept("log truncated (copytruncate) before a line of it was read: reading " + c.name
                + ", then " + base + " from the start");
        cur.close();
        cur = c;
        begin(0);
        return true;
    }

    private boolean openAppeared() throws IOException {
        TailedFile t = TailedFile.open(path);
        if (t == null) return false;
        cur = t;
        begin(0);
        notices.accept("now following " + shown);
        return true;
    }

    private void noteMissing(boolean missing, long now) {
        if (!missing) {
            missingSince = -1;
            missingNoticed = false;
        } else if (missingSince < 0) {
            missingSince = now;
        } else if (!missingNoticed && now - missingSince >= SECOND) {
            missingNoticed = true;
            notices.accept(shown + " disappeared: reading what is left of it and waiting for it to reappear");
        }
    }

    private void start() throws IOException {
        Checkpoint cp = checkpoints.load(notices);
        if (!once) {
            watch = new DirectoryWatch(path.getParent(), notices);
            if (closed) watch.close();
        }
        TailStart s = TailStart.decide(path, shown, cp, fromStart, once, notices);
        if (s.file() == null) return;
        cur = s.file();
        begin(s.offset());
    }

    private void begin(long offset) throws IOException {
        cur.committed = offset;
        splitter.reset(offset);
        cur.refreshHead(offset);
    }

    /** Sleeps until the directory changes, a deadline (checkpoint, partial line, rotation) passes, or close(). */
    private void await() {
        long now = System.nanoTime();
        long wait = sleepNanos;
        if (checkpoints.pending(cur)) wait = until(wait, checkpoints.due(), now);
        if (cur != null && splitter.hasPartial()) wait = until(wait, cur.lastGrowth + partialTimeoutNanos, now);
        if (cur != null && cur.rotated) wait = until(wait, cur.lastGrowth + ROTATE_IDLE_NANOS, now);
        DirectoryWatch w = watch;
        if (w == null) {
            LockSupport.parkNanos(this, wait);
        } else if (!w.await(wait)) {
            closed = true;
        }
    }

    /** Shortens {@code wait} to reach {@code deadline}; a deadline already past was handled by the last step. */
    private static long until(long wait, long deadline, long now) {
        long left = deadline - now;
        return left > 0 ? Math.max(Math.min(wait, left), TimeUnit.MILLISECONDS.toNanos(1)) : wait;
    }
}
