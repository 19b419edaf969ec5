// TailHarness.java -- test helpers for the tailer: numbered lines, a tailer on its own thread, exact-once checks.
package sentinel;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes numbered log lines, runs a {@link LineSource} on a thread collecting its output, and checks exactly-once delivery. */
public final class TailHarness {
    private TailHarness() {}

    /** A realistic access-log line carrying its number. */
    public static String line(int n) {
        return "n=" + n + " 10.0.0." + (n % 250) + " - - \"GET /shop/item/" + n + "?ref=home HTTP/1.1\" 200 " + (n * 7 % 9000);
    }

    /** {@link #line(int)} with its newline, as bytes. */
    public static byte[] bytes(int n) {
        return (line(n) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The number of a line written by {@link #line(int)}, or -1. */
    public static int number(String line) {
        if (!line.startsWith("n=")) return -1;
        int sp = line.indexOf(' ');
        try {
            return Integer.parseInt(line.substring(2, sp < 0 ? line.length() : sp));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Writes lines {@code from} (inclusive) to {@code to} (exclusive), one write call per line. */
    public static void write(OutputStream out, int from, int to) throws IOException {
        for (int n = from; n < to; n++) out.write(bytes(n));
    }

    /** logrotate's numbered shift: {@code log.(keep-1)} to {@code log.keep}, ..., {@code log} to {@code log.1}. */
    public static void shift(Path log, int keep) throws IOException {
        for (int k = keep - 1; k >= 1; k--) {
            Path from = log.resolveSibling(log.getFileName() + "." + k);
            if (Files.exists(from)) Files.move(from, log.resolveSibling(log.getFileName() + "." + (k + 1)), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Fails unless {@code seen} holds every number in [from, to) exactly once, naming what was lost or repeated. */
    public static void assertExactlyOnce(List<Integer> seen, int from, int to) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int n : seen) counts.merge(n, 1, Integer::sum);
        List<Integer> missing = new ArrayList<>();
        List<Integer> repeated = new ArrayList<>();
        for (int n = from; n < to; n++) {
            int c = counts.getOrDefault(n, 0);
            if (c == 0) missing.add(n);
            if (c > 1) repeated.add(n);
        }
        List<Integer> foreign = counts.keySet().stream().filter(n -> n < from || n >= to).toList();
        if (!missing.isEmpty() || !repeated.isEmpty() || !foreign.isEmpty()) {
            fail("expected each of " + from + ".." + (to - 1) + " once; missing " + head(missing) + ", repeated "
                    + head(repeated) + ", unexpected " + head(foreign) + " (" + seen.size() + " lines seen)");
        }
    }

    private static String summary(List<String> notices) {
        return notices.size() <= 6 ? notices.toString()
                : notices.subList(0, 3) + " ... " + notices.subList(notices.size() - 3, notices.size()) + " (" + notices.size() + ")";
    }

    private static String head(List<Integer> l) {
        return l.size() <= 20 ? l.toString() : l.subList(0, 20) + "... (" + l.size() + ")";
    }

    /** A source running on its own thread; what it emits and says is collected. */
    public static final class Running implements AutoCloseable {
        private final LineSource source;
        private final Thread thread;
        private final List<String> notices;
        private final List<String> lines = new ArrayList<>();
        private final List<String> positions = new ArrayList<>();
        private volatile Throwable failure;

        /** Starts a tailer whose notices are collected. */
        public static Running tail(TailSettings s, boolean fromStart, boolean once) {
            return tail(s, fromStart, once, Duration.ofSeconds(5));
        }

        /** Starts a tailer with the given flush timeout for unterminated lines. */
        public static Running tail(TailSettings s, boolean fromStart, boolean once, Duration partialTimeout) {
            List<String> notices = new ArrayList<>();
            return new Running(tailer(s, fromStart, once, partialTimeout, notices), notices, 0);
        }

        /** Starts a tailer whose sink sleeps {@code pauseMillis} every 25 lines, so it lags behind the writer. */
        public static Running lagging(TailSettings s, int pauseMillis) {
            List<String> notices = new ArrayList<>();
            return new Running(tailer(s, true, false, Duration.ofSeconds(5), notices), notices, pauseMillis);
        }

        private static LogTailer tailer(TailSettings s, boolean fromStart, boolean once, Duration partialTimeout,
                                         List<String> notices) {
            return new LogTailer(s, fromStart, once, m -> {
                synchronized (notices) {
                    notices.add(m);
                }
            }).partialLineTimeout(partialTimeout);
        }

        /** Starts any source. */
        public static Running of(LineSource source) {
            return new Running(source, new ArrayList<>(), 0);
        }

        private Running(LineSource source, List<String> notices, int pauseMillis) {
            this.source = source;
            this.notices = notices;
            this.thread = new Thread(() -> {
                try {
                    int[] count = {0};
                    source.run((line, pos) -> {
                        accept(line, pos);
                        if (pauseMillis > 0 && ++count[0] % 25 == 0) Thread.sleep(pauseMillis);
                    });
                } catch (Throwable t) {
                    failure = t;
                }
                synchronized (this) {
                    notifyAll();
                }
            }, "source-under-test");
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void accept(String line, String position) {
            lines.add(line);
            positions.add(position);
            notifyAll();
        }

        public synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        public synchronized List<String> positions() {
            return List.copyOf(positions);
        }

        public synchronized List<Integer> numbers() {
            return lines.stream().map(TailHarness::number).toList();
        }

        public List<String> notices() {
            synchronized (notices) {
                return List.copyOf(notices);
            }
        }

        /** True when some notice contains {@code text}. */
        public boolean noticed(String text) {
            return notices().stream().anyMatch(m -> m.contains(text));
        }

        /** Waits until at least {@code n} lines arrived; fails with what did arrive after {@code timeout}. */
        public synchronized void awaitLines(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (lines.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || failure != null || !thread.isAlive()) {
                    fail("got " + lines.size() + " of " + n + " lines within " + timeout + "; failure " + failure
                            + "; notices " + summary(notices()));
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        /** Closes the source as a shutdown hook would, and waits for run() to return; rethrows its failure. */
        @Override
        public void close() throws InterruptedException {
            source.close();
            thread.join(10_000);
            if (thread.isAlive()) fail("run() did not return within 10 s of close()");
            if (failure != null) throw new AssertionError("run() failed: " + failure, failure);
        }

        /** Waits for run() to return by itself (once mode, end of stream). */
        public void join(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            if (thread.isAlive()) fail("run() still running after " + timeout);
        }

        public Throwable failure() {
            return failure;
        }
    }
}
