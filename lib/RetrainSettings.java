// RetrainSettings.java -- the checked retrain_every and retrain_lines settings of background retraining.
package sentinel;

import java.time.Duration;
import java.util.Locale;

/** How often a live detect retrains on its recent normal traffic, and on how many lines. */
public record RetrainSettings(Duration every, int lines) {
    /** Shorter intervals would retrain back to back; training takes seconds. */
    public static final Duration MIN_EVERY = Duration.ofSeconds(1);
    /** Heap one kept line takes while training (raw text, parsed record, feature row), measured with -Xlog:gc. */
    static final long BYTES_PER_LINE = 1536;

    /**
     * The settings of {@code cfg}, or null when retrain_every is empty or 0 (off). Checked like the other keys:
     * a bad value is a SentinelException (exit 2) naming where it came from and the key.
     */
    public static RetrainSettings from(Config cfg) {
        Duration every = (Duration) cfg.get("retrain_every");
        if (every == null || every.isZero()) return null;
        if (every.compareTo(MIN_EVERY) < 0) {
            throw bad(cfg, "retrain_every", "expected at least " + Printable.duration(MIN_EVERY) + " (empty: off)", Printable.duration(every));
        }
        int lines = (Integer) cfg.get("retrain_lines");
        int needed = needed(cfg.model());
        if (lines < needed) {
            throw bad(cfg, "retrain_lines", "expected at least " + needed + " (the lines one training needs: " + Training.MIN_ROWS
                    + " and sample_size)", String.valueOf(lines));
        }
        long heap = Runtime.getRuntime().maxMemory();
        long most = heap / 10 * 6 / BYTES_PER_LINE; // the rest of the heap stays for detection itself
        if (lines > most) {
            throw bad(cfg, "retrain_lines", String.format(Locale.ROOT, "expected at most %d with this heap (%d MB, about %.1f KB a line"
                    + " while training; raise -Xmx in detect.java's JAVA_OPTIONS for more)", most, heap >> 20, BYTES_PER_LINE / 1024.0),
                    String.valueOf(lines));
        }
        return new RetrainSettings(every, lines);
    }

    /** The fewest normal lines a retraining runs on: {@link Training#MIN_ROWS}, and a full sample for every tree. */
    public static int needed(ModelSettings model) {
        return Math.max(Training.MIN_ROWS, model.sampleSize());
    }

    private static SentinelException bad(Config cfg, String key, String expected, String got) {
        return SentinelException.badInput(cfg.settings().get(key).origin() + ": " + key + ": " + expected + ", got '" + got + "'");
    }
}
