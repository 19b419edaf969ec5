// BenchMemory.java -- feeds a real detect millions of lines from ever new clients on stdin and samples its memory.

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs {@code detect.java --once --log-file -} and writes {@code total} lines into its standard input: the
 * benchmark log's lines over and over, each with its client address replaced by one of {@code clients}
 * addresses in turn (10.0.0.0 upwards), so per-client state meets far more clients than it may keep. Samples
 * the process's resident set every 250 ms and reads its heap from a GC log.
 */
final class BenchMemory {
    /** The resident set after {@code lines} lines had been written. */
    record Sample(long lines, long rssKb) {}

    /** Peak RSS, samples along the way, heap after GC and committed (MiB), wall seconds and detect's own summary. */
    record Result(long peakRssKb, List<Sample> samples, double heapAfterGcMiB, double heapCommittedMiB, double wallSeconds, String stderr) {}

    private BenchMemory() {}

    static Result run(BenchProcess procs, Path work, String[] lines, long total, int clients, String... detectArgs)
            throws IOException, InterruptedException {
        String[] args = new String[detectArgs.length + 3];
        args[0] = "--once";
        args[1] = "--log-file";
        args[2] = "-";
        System.arraycopy(detectArgs, 0, args, 3, detectArgs.length);
        ProcessBuilder pb = procs.builder("detect.java", args);
        Path gcDir = Files.createDirectories(work.resolve("gc"));
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:gc:file=" + gcDir.resolve("gc-%p.log"));
        Path err = work.resolve("memory-stderr.txt");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        AtomicLong fed = new AtomicLong();
        Thread feeder = new Thread(() -> feed(p.getOutputStream(), lines, total, clients, fed), "bench-feeder");
        feeder.setDaemon(true);
        feeder.start();
        List<Sample> samples = new ArrayList<>();
        long peak = 0;
        while (p.isAlive()) {
            long rss = BenchProcess.rssKb(p.pid());
            if (rss > 0) samples.add(new Sample(fed.get(), rss));
            peak = Math.max(peak, BenchProcess.peakRssKb(p.pid()));
            Thread.sleep(250);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        feeder.join();
        String stderr = Files.readString(err);
        if (p.exitValue() != 0) throw new IllegalStateException("detect exited " + p.exitValue() + ":\n" + stderr);
        double[] heap = BenchProcess.heapFromGcLog(gcDir.resolve("gc-" + p.pid() + ".log"));
        return new Result(peak, samples, heap[0], heap[1], wall, stderr);
    }

    private static void feed(OutputStream raw, String[] lines, long total, int clients, AtomicLong fed) {
        try (OutputStream out = new BufferedOutputStream(raw, 1 << 20)) {
            for (long i = 0; i < total; i++) {
                String line = lines[(int) (i % lines.length)];
                int k = (int) (i % clients);
                int ipEnd = line.indexOf(' ');
                String ip = "10." + ((k >>> 16) & 255) + "." + ((k >>> 8) & 255) + "." + (k & 255);
                out.write((ip + line.substring(Math.max(ipEnd, 0)) + "\n").getBytes(StandardCharsets.UTF_8));
                if ((i & 4095) == 0) fed.set(i);
            }
            fed.set(total);
        } catch (IOException e) {
            // detect stopped reading; its exit status tells why
        }
    }

    /** The resident set (KiB) of the last sample taken at or before {@code lines} lines fed, or 0. */
    static long rssAt(List<Sample> samples, long lines) {
        long rss = 0;
        for (Sample s : samples) if (s.lines() <= lines) rss = s.rssKb();
        return rss;
    }
}
