// SimulationWriter.java -- appends simulated traffic to a log at a steady rate, with an optional labels CSV.
package sentinel;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Writes {@link TrafficSimulator} lines to a file: live (wall-clock timestamps, paced at {@code rate} lines/s,
 * each line flushed so a follower sees it at once) or as fast as possible with simulated time (rate &lt;= 0).
 * Line numbers in the labels CSV continue from the lines already in the log. A log named {@code -} is standard
 * output, so {@code simulate --log-file - | detect --log-file -} pipes traffic straight into a detector.
 */
public final class SimulationWriter implements AutoCloseable {
    private final TrafficSimulator simulator;
    private final Path log;
    private final Path labels;
    private final double rate;
    private volatile boolean stopped;
    private long written;
    private long anomalies;

    public SimulationWriter(TrafficSimulator simulator, Path log, Path labels, double rate) {
        this.simulator = simulator;
        this.log = log;
        this.labels = labels;
        this.rate = rate;
    }

    /**
     * Appends {@code count} lines (0: until {@link #close()}); {@code start} is the first simulated timestamp
     * when not live. Throws SentinelException on I/O errors.
     */
    public void run(long count, Instant start) {
        try {
            boolean toStdout = isStdout(log);
            if (!toStdout && log.toAbsolutePath().getParent() != null) Files.createDirectories(log.toAbsolutePath().getParent());
            long firstLine = !toStdout && Files.exists(log) ? countLines(log) + 1 : 1;
            boolean newLabels = labels != null && (!Files.exists(labels) || Files.size(labels) == 0);
            try (Writer out = toStdout
                    ? new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16)
                    : Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                 Writer lab = labels == null ? Writer.nullWriter() : Files.newBufferedWriter(labels, StandardCharsets.UTF_8,
                         StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                if (newLabels) lab.write("line_no,label,kind\n");
                long t0 = System.nanoTime();
                for (long i = 0; (count <= 0 || i < count) && !stopped; i++) {
                    Instant time;
                    if (rate > 0) {
                        long due = t0 + (long) (i * 1e9 / rate);
                        long wait = due - System.nanoTime();
                        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        time = Instant.now();
                    } else {
                        time = start.plusMillis(i * 50);
                    }
                    TrafficSimulator.Event e = simulator.next(time);
                    out.write(e.line());
                    out.write('\n');
                    lab.write((firstLine + i) + "," + (e.anomaly() ? 1 : 0) + "," + e.kind() + "\n");
                    if (rate > 0) {
                        out.flush();
                        lab.flush();
                    }
                    written++;
                    if (e.anomaly()) anomalies++;
                }
            }
        } catch (IOException e) {
            throw SentinelException.failure("cannot write to " + (isStdout(log) ? "standard output" : log) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True for the log name {@code -}: standard output. */
    public static boolean isStdout(Path log) {
        return log.toString().equals("-");
    }

    /** Runs {@link #run} on a daemon thread (for {@code detect --simulate}). */
    public Thread start(long count) {
        Thread t = new Thread(() -> run(count, Instant.now()), "sentinel-simulator");
        t.setDaemon(true);
        t.start();
        return t;
    }

    public long written() { return written; }

    public long anomalies() { return anomalies; }

    @Override
    public void close() {
        stopped = true;
    }

    private static long countLines(Path p) throws IOException {
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            long n = 0;
            int last = '\n';
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) if (buf[i] == '\n') n++;
                last = buf[r - 1];
            }
            return last == '\n' ? n : n + 1;
        }
    }
}
