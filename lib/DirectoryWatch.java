// DirectoryWatch.java -- wakes the tailer when its log's directory changes; polls where that is unavailable.
package sentinel;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Change notifications (inotify through {@link WatchService}) for one directory, so an append is seen in about
 * a millisecond; when they are unavailable, or the directory does not exist yet, the wait is a plain timeout.
 */
final class DirectoryWatch implements AutoCloseable {
    private final Path dir;
    private final Consumer<String> notices;
    private boolean registerFailed;
    private volatile WatchService service;
    private volatile boolean closed;
    private volatile Thread waiter;
    private WatchKey key;

    DirectoryWatch(Path dir, Consumer<String> notices) {
        this.dir = dir;
        this.notices = notices;
        try {
            service = dir.getFileSystem().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            notices.accept("file change notifications unavailable (" + e.getMessage() + "): polling instead");
        }
    }

    /** Waits until something in the directory changes, {@code nanos} pass, or {@link #close()}; false if interrupted. */
    boolean await(long nanos) {
        waiter = Thread.currentThread();
        try {
            WatchService w = registered();
            if (w == null) {
                if (!closed) LockSupport.parkNanos(this, nanos);
                return !Thread.currentThread().isInterrupted();
            }
            WatchKey k = w.poll(nanos, TimeUnit.NANOSECONDS);
            while (k != null) {
                k.pollEvents();
                k.reset();
                k = w.poll();
            }
            return true;
        } catch (ClosedWatchServiceException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiter = null;
        }
    }

    /** The service, registered on the directory (again, if it was recreated); null to poll instead. */
    private WatchService registered() {
        WatchService w = service;
        if (w == null || closed) return null;
        if (key == null || !key.isValid()) {
            key = null;
            try {
                if (Files.isDirectory(dir)) {
                    key = dir.register(w, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                }
            } catch (IOException e) {
                if (!registerFailed) notices.accept("cannot watch " + dir + " (" + e.getMessage() + "): polling instead");
                registerFailed = true;
                return null;
            }
        }
        return key == null ? null : w;
    }

    /** Ends a wait in progress (from any thread) and releases the inotify instance. */
    @Override
    public void close() {
        closed = true;
        WatchService w = service;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
        Thread t = waiter;
        if (t != null) LockSupport.unpark(t);
    }
}
