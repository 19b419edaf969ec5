// CheckpointWriter.java -- when a LogTailer writes its checkpoint: at most every second, and on exit.
package sentinel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Loads a tailer's {@link Checkpoint} at start and writes a new one when the position changed: at most every
 * second while following (a write is a fsync), and always on exit. A hook runs first, for sinks that batch.
 */
final class CheckpointWriter {
    private static final long SECOND = 1_000_000_000L;

    private final Path stateFile;
    private final Path log;
    private Runnable beforeWrite = () -> { };
    private Checkpoint saved;
    private long lastWrite = System.nanoTime() - SECOND;

    /** {@code stateFile} null: no checkpoints. */
    CheckpointWriter(Path stateFile, Path log) {
        this.stateFile = stateFile;
        this.log = log;
    }

    void beforeWrite(Runnable hook) {
        beforeWrite = Objects.requireNonNull(hook);
    }

    /** The checkpoint to resume from: null when there is none, or it is for another log (said in a notice). */
    Checkpoint load(Consumer<String> notices) {
        if (stateFile == null) return null;
        Path dir = stateFile.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) throw SentinelException.badInput("state file directory " + dir + " does not exist");
        Checkpoint cp = Checkpoint.load(stateFile);
        if (cp != null && !cp.file().equals(log)) {
            notices.accept("state file " + stateFile + " is for " + cp.file() + ", not " + log + ": ignoring it");
            return null;
        }
        saved = cp;
        return cp;
    }

    /** Writes the position in {@code f} if it changed and a second has passed since the last write, or if {@code force}. */
    void write(TailedFile f, boolean force) {
        if (!pending(f)) return;
        long now = System.nanoTime();
        if (!force && now - lastWrite < SECOND) return;
        beforeWrite.run();
        Checkpoint cp = f.checkpoint(log);
        cp.save(stateFile);
        saved = cp;
        lastWrite = now;
    }

    /** True when {@code f}'s position has not been written yet. */
    boolean pending(TailedFile f) {
        return stateFile != null && f != null
                && (saved == null || saved.offset() != f.committed || !saved.fileKey().equals(f.key));
    }

    /** nanoTime at which a pending position may be written. */
    long due() {
        return lastWrite + SECOND;
    }
}
