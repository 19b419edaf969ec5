// ModelWatcher.java -- notices that the model file was replaced and loads the new model in the background.
package sentinel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Watches the model file for replacement (train.java saves by atomic rename, so the file's identity or
 * modification time changes) and loads the new model on its own daemon thread. A good model goes to
 * {@code onModel}; a bad one is reported once on {@code notices} and the running model stays.
 */
public final class ModelWatcher implements AutoCloseable {
    private final Path file;
    private final long pollMillis;
    private final Consumer<ModelBundle> onModel;
    private final Consumer<String> notices;
    private final Thread thread;
    private volatile boolean stopped;
    private Object lastKey;
    private long lastModified;
    private long lastSize;

    public ModelWatcher(Path file, long pollMillis, Consumer<ModelBundle> onModel, Consumer<String> notices) {
        this.file = file;
        this.pollMillis = pollMillis;
        this.onModel = onModel;
        this.notices = notices;
        remember();
        this.thread = new Thread(this::loop, "sentinel-model-watcher");
        this.thread.setDaemon(true);
    }

    /** Starts watching; returns this. */
    public ModelWatcher start() {
        thread.start();
        return this;
    }

    private boolean remember() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            boolean changed = !Objects.equals(a.fileKey(), lastKey) || a.lastModifiedTime().toMillis() != lastModified || a.size() != lastSize;
            lastKey = a.fileKey();
            lastModified = a.lastModifiedTime().toMillis();
            lastSize = a.size();
            return changed;
        } catch (IOException e) {
            return false;
        }
    }

    private void loop() {
        while (!stopped) {
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
            if (stopped || !remember()) continue;
            try {
                ModelBundle b = ModelBundle.load(file);
                onModel.accept(b);
                notices.accept("model reloaded from " + file.getFileName() + " (trained " + b.provenance().createdAt()
                        + ", threshold " + String.format(java.util.Locale.ROOT, "%.4f", b.threshold().cut()) + ")");
            } catch (SentinelException e) {
                notices.accept("the new model was not loaded, keeping the running one: " + e.getMessage());
            } catch (RuntimeException e) {
                notices.accept("the new model was not loaded, keeping the running one: " + e);
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
