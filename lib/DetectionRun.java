// DetectionRun.java -- detect's main loop as an object: judges each line, prints it, hands anomalies to alerts, counts.
package sentinel;

import java.io.PrintStream;
import java.util.Locale;
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
    private long lines, anomalies, unparsed;
    private boolean batched;
    private BatchPipeline pipeline;
    /** Normal lines for background retraining; null (the default) costs one null check per line or block. */
    private RecentTraffic recent;
    /** How long a partly filled block waits for more lines: small against the 20 ms a live verdict may take. */
    static final long LINGER_MICROS = 500;

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

    /**
     * Judges in blocks across all cores ({@link BatchPipeline}) when the source is a file or standard input.
     * Verdicts and output bytes are the same as line by line; a line's verdict comes at most ~{@value #LINGER_MICROS}
     * µs (plus the work) after it was read, even when no more lines follow; in text mode the score of an OK line
     * (never printed) may be a bound below the threshold. {@link #accept} then returns before the line is judged:
     * {@link #sync} waits for every line accepted so far.
     */
    public DetectionRun batched(boolean on) {
        this.batched = on;
        return this;
    }

    /** Keeps every line judged normal (parsed, not an anomaly), in log order, in {@code ring} for retraining. */
    public DetectionRun feeding(RecentTraffic ring) {
        this.recent = ring;
        return this;
    }

    @Override
    public void accept(String line, String position) {
        Detector next = replacement;
        if (next != null) {
            replacement = null;
            if (pipeline != null) {
                pipeline.finish(); // lines before the swap keep the old model and its client state
                pipeline.close();
            }
            detector = next;
            names = next.bundle().schema().names();
            if (pipeline != null) pipeline = newPipeline();
        }
        if (pipeline != null) {
            pipeline.add(line, position);
            return;
        }
        Verdict v = detector.judge(line, ++lines, position);
        if (!v.parsed()) unparsed++;
        else if (v.anomaly()) anomalies++;
        printer.print(v, names);
        if (v.anomaly()) alerts.accept(v);
        else if (recent != null) recent.offer(v);
    }

    /**
     * Runs {@code source} to its end, or until SIGINT/SIGTERM: a shutdown hook closes the source and waits
     * (bounded) for {@code finish} — flushing output and alerts, printing the summary — to complete.
     */
    public void runUntilStopped(LineSource source, Runnable finish) throws Exception {
        // Kafka is left line by line: its rebalance hooks touch client state and commit offsets between lines.
        if (batched && (source instanceof LogTailer || source instanceof StdinSource)) pipeline = newPipeline();
        SignalStop.run(source, () -> {
            try {
                source.run(this);
                if (pipeline != null) pipeline.finish();
            } finally {
                if (pipeline != null) pipeline.close();
            }
        }, () -> {
            printer.flush();
            finish.run();
        });
    }

    private BatchPipeline newPipeline() {
        BatchPipeline.Emitter emitter = (verdicts, count, rendered) -> {
            printer.writeRendered(rendered);
            for (int i = 0; i < count; i++) {
                Verdict v = verdicts[i];
                lines++;
                if (!v.parsed()) unparsed++;
                else if (v.anomaly()) anomalies++;
                if (v.anomaly()) alerts.accept(v);
            }
            if (recent != null) recent.offer(verdicts, count); // blocks are emitted one at a time, in log order
        };
        boolean exactScores = printer.json();
        return new BatchPipeline(detector, printer, emitter, exactScores, Runtime.getRuntime().availableProcessors(), lines,
                LINGER_MICROS * 1000);
    }

    /** Returns once every line accepted so far is judged, printed and handed to alerts (at once when not batched). */
    public void sync() {
        BatchPipeline p = pipeline;
        if (p != null) p.finish();
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
