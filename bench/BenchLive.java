// BenchLive.java -- a real detect following a growing log: sustained throughput and append-to-verdict latency.

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Starts {@code detect.java} following an empty {@code live.log} (no --once), appends lines to the file the way
 * a web server does, and reads detect's stdout: one verdict line per log line, in order, so the n-th verdict
 * answers the n-th appended line. Latency is the time from just before a line's write() to the read() that
 * returned its verdict.
 */
final class BenchLive implements AutoCloseable {
    /** Latency percentiles at one append rate. */
    record Latency(int rate, int lines, double p50Ms, double p99Ms, double maxMs, double achievedRate) {}

    private final String[] lines;
    private final FileChannel log;
    private final Process detect;
    private final Path stderr;
    private volatile long verdicts;
    private long appended;
    private volatile long trackFrom = Long.MAX_VALUE;
    private volatile long[] arrivals = new long[0];
    private int next;

    BenchLive(BenchProcess procs, Path work, String[] lines, String... detectArgs) throws IOException {
        this.lines = lines;
        Path file = work.resolve("live.log");
        Files.deleteIfExists(file);
        this.log = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.stderr = work.resolve("live-stderr.txt");
        // --from-start on an empty file: every appended line is answered, however late detect starts following
        String[] args = new String[detectArgs.length + 3];
        args[0] = "--log-file";
        args[1] = file.toString();
        args[2] = "--from-start";
        System.arraycopy(detectArgs, 0, args, 3, detectArgs.length);
        ProcessBuilder pb = procs.builder("detect.java", args);
        pb.redirectError(stderr.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        this.detect = pb.start();
        Thread reader = new Thread(this::readVerdicts, "bench-verdicts");
        reader.setDaemon(true);
        reader.start();
    }

    private void readVerdicts() {
        byte[] buf = new byte[1 << 16];
        try (InputStream in = detect.getInputStream()) {
            long count = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                long now = System.nanoTime();
                long from = trackFrom;
                long[] arr = arrivals;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') continue;
                    long k = count++ - from;
                    if (k >= 0 && k < arr.length) arr[(int) k] = now;
                }
                verdicts = count;
            }
        } catch (IOException e) {
            // detect ended
        }
    }

    /** Appends a line every 100 ms until detect answers (it has started and is following); returns the seconds taken. */
    double awaitReady(double timeoutSeconds) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        while (verdicts == 0) {
            if (!detect.isAlive() || System.nanoTime() - t0 > timeoutSeconds * 1e9) {
                throw new IllegalStateException("detect did not answer within " + timeoutSeconds + " s:\n" + Files.readString(stderr));
            }
            append(1);
            Thread.sleep(100);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Appends {@code count} lines as fast as possible, in 1 MiB writes; returns lines/s until the last verdict. */
    double maxRate(int count, double timeoutSeconds) throws IOException, InterruptedException {
        long target = appended + count;
        long t0 = System.nanoTime();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        for (int i = 0; i < count; i++) {
            byte[] b = nextLine();
            if (chunk.remaining() < b.length) {
                write(chunk.flip());
                chunk.clear();
            }
            chunk.put(b);
        }
        write(chunk.flip());
        appended = target;
        awaitVerdicts(target, t0, timeoutSeconds);
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    /** Appends at {@code rate} lines/s for {@code seconds}, one write() per line; the latency of every line. */
    Latency atRate(int rate, double seconds, double timeoutSeconds) throws IOException, InterruptedException {
        int count = (int) (rate * seconds);
        long[] written = new long[count];
        long[] arrived = new long[count];
        arrivals = arrived;
        trackFrom = appended;
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = t0 + (long) (i * 1e9 / rate);
            for (long wait; (wait = due - System.nanoTime()) > 0; ) LockSupport.parkNanos(wait);
            written[i] = System.nanoTime();
            write(ByteBuffer.wrap(nextLine()));
        }
        double achieved = count / ((System.nanoTime() - t0) / 1e9);
        appended += count;
        awaitVerdicts(appended, t0, timeoutSeconds);
        double[] ms = new double[count];
        for (int i = 0; i < count; i++) ms[i] = (arrived[i] - written[i]) / 1e6;
        Arrays.sort(ms);
        return new Latency(rate, count, ms[count / 2], ms[(int) Math.min(count - 1, Math.ceil(count * 0.99) - 1)], ms[count - 1], achieved);
    }

    private void append(int count) throws IOException {
        for (int i = 0; i < count; i++) write(ByteBuffer.wrap(nextLine()));
        appended += count;
    }

    private byte[] nextLine() {
        String l = lines[next];
        next = (next + 1) % lines.length;
        return (l + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) log.write(b);
    }

    private void awaitVerdicts(long target, long t0, double timeoutSeconds) throws InterruptedException, IOException {
        while (verdicts < target) {
            if (!detect.isAlive() || System.nanoTime() - t0 > timeoutSeconds * 1e9) {
                throw new IllegalStateException("detect answered " + verdicts + " of " + target + " lines:\n" + Files.readString(stderr));
            }
            Thread.sleep(1);
        }
    }

    long pid() {
        return detect.pid();
    }

    /** Stops detect with SIGTERM (it prints its summary) and returns its stderr. */
    String stop() throws IOException, InterruptedException {
        detect.destroy();
        if (!detect.waitFor(30, TimeUnit.SECONDS)) detect.destroyForcibly();
        return Files.readString(stderr);
    }

    @Override
    public void close() throws IOException {
        if (detect.isAlive()) detect.destroyForcibly();
        log.close();
    }
}
