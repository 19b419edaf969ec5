// DetectionRun.java -- detect's main loop as an object: judges each line, prints it, hands anomalies to alerts, counts.
package sentinel;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The sink detect.java feeds every line to, in order. Keeps the counts for the exit summary and makes
 * Ctrl-C / SIGTERM finish cleanly: the source stops, pending output and alerts are flushed, and one
 * summary line is printed.
 */
public final class DetectionRun implements LineSource.Sink {
    private Detector detector;
    private volatile Detector replacement;
    private final VerdictPrinter printer;
    private final Consumer<Verdict> alerts;
    private String[] names;
    private final long started = System.nanoTime();
    private final CountDownLatch finished = new CountDownLatch(1);
    private long lines, anomalies, unparsed;

    /** {@code alerts} receives every anomaly (e.g. {@code SlackNotifier::offer}); it must not block. */
    public DetectionRun(Detector detector, VerdictPrinter printer, Consumer<Verdict> alerts) {
        this.detector = detector;
        this.printer = printer;
        this.alerts = alerts;
        this.names = detector.bundle().schema().names();
    }

    /** Hands over a new model's detector (from any thread); it judges from the next line on, so no line is judged twice or skipped. */
    public void replace(Detector next) {
        replacement = next;
    }

    @Override
    public void accept(String line, String position) {
        Detector next = replacement;
        if (next != null) {
            replacement = null;
            detector = next;
            names = next.bundle().schema().names();
        }
        Verdict v = detector.judge(line, ++lines, position);
        if (!v.parsed()) unparsed++;
        else if (v.anomaly()) anomalies++;
        printer.print(v, names);
        if (v.anomaly()) alerts.accept(v);
    }

    /**
     * Runs {@code source} to its end, or until SIGINT/SIGTERM: a shutdown hook closes the source and waits
     * (bounded) for {@code finish} — flushing output and alerts, printing the summary — to complete.
     */
    public void runUntilStopped(LineSource source, Runnable finish) throws Exception {
        Thread hook = new Thread(() -> {
            source.close();
            try {
                finished.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sentinel-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            source.run(this);
        } finally {
            printer.flush();
            finish.run();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running and waits for the countDown above
            }
        }
    }

    public long lines() { return lines; }

    public long anomalies() { return anomalies; }

    public long unparsed() { return unparsed; }

    /** One line: lines, anomalies, unparsed, elapsed time and rate. */
    public String summary() {
        double secs = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        return String.format(Locale.ROOT, "%d lines, %d anomalies, %d unparsed in %.1f s (%,.0f lines/s)",
                lines, anomalies, unparsed, secs, lines / secs);
    }

    /** Prints {@link #summary()} (plus {@code extra}, if any) on {@code err}. */
    public void printSummary(PrintStream err, String extra) {
        err.println("detect: " + summary() + (extra == null || extra.isEmpty() ? "" : "; " + extra));
        err.flush();
    }
}
