// Progress.java -- a progress line on stderr for long work: redrawn on a terminal, silent when piped.
package sentinel;

import java.io.PrintStream;

/** Reports progress of long work on stderr; redraws one line on a terminal and prints nothing otherwise. */
public final class Progress implements AutoCloseable {
    private final PrintStream err;
    private final boolean terminal;
    private final String task;
    private final long total;
    private long lastDraw;
    private boolean drawn;

    /** {@code total} in whatever unit {@link #update} reports (bytes, lines); 0 when unknown. */
    public Progress(PrintStream err, boolean terminal, String task, long total) {
        this.err = err;
        this.terminal = terminal;
        this.task = task;
        this.total = total;
    }

    /** A progress reporter that draws only when stderr is a terminal and NO_COLOR/quiet do not forbid redraws. */
    public static Progress onStderr(String task, long total, boolean quiet) {
        boolean tty = System.console() != null && !quiet && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
        return new Progress(System.err, tty, task, total);
    }

    /** Reports that {@code done} units are finished; cheap to call often (draws at most 10 times a second). */
    public void update(long done) {
        if (!terminal) return;
        long now = System.nanoTime();
        if (drawn && now - lastDraw < 100_000_000L) return;
        lastDraw = now;
        drawn = true;
        int width = 30;
        double f = total > 0 ? Math.min(1.0, (double) done / total) : 0;
        int fill = (int) Math.round(f * width);
        err.print("\r" + task + " [" + "#".repeat(fill) + " ".repeat(width - fill) + "] " + Math.round(f * 100) + "%");
        err.flush();
    }

    @Override
    public void close() {
        if (terminal && drawn) {
            err.print("\r" + " ".repeat(task.length() + 40) + "\r");
            err.flush();
        }
    }
}
