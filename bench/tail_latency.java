///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Measures LogTailer's append-to-receive latency at several write rates, its idle CPU, and once-mode throughput.
//JAVA 17+
//SOURCES ../lib/*.java

// Run: ./jbang bench/tail_latency.java [--rates 1000,5000,10000] [--seconds 5] [--json]     (about 30 s)
// A writer thread appends timestamped lines (System.nanoTime() in the line, one write() per line, as a web
// server's workers do) at each rate; a LogTailer following the file by name in the same process receives them,
// and the latency is receive time minus write time. Then: the follower's CPU while the file is idle, and
// lines/s reading a 3,000,000-line file in once mode (detect --once) with a sink that only counts.

import java.io.FileOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import sentinel.LogTailer;
import sentinel.TailSettings;

public class tail_latency {
    static final String PAD = " 203.0.113.9 - - \"GET /shop/cart?item=12345&ref=home HTTP/1.1\" 200 5123 \"Mozilla/5.0\"";
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    record Row(int rate, int lines, double p50, double p99, double p999, double max, double cpuPercent) {}

    public static void main(String[] args) throws Exception {
        int[] rates = {1000, 5000, 10000};
        int seconds = 5;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rates" -> rates = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--json" -> json = true;
                default -> {
                    System.err.println("usage: tail_latency [--rates 1000,5000,10000] [--seconds 5] [--json]");
                    System.exit(2);
                }
            }
        }
        Path dir = Files.createTempDirectory("tail-bench");
        try {
            follow(dir.resolve("warmup.log"), 2000, 1); // class loading and JIT before anything is measured
            List<Row> rows = new ArrayList<>();
            for (int rate : rates) rows.add(follow(dir.resolve("rate-" + rate + ".log"), rate, seconds));
            double idle = idleCpu(dir.resolve("idle.log"), 5);
            double[] once = throughput(dir.resolve("big.log"), 3_000_000);
            print(rows, idle, once, json);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Appends {@code rate} lines/s for {@code seconds} while a LogTailer follows; returns the latency figures. */
    static Row follow(Path log, int rate, int seconds) throws Exception {
        Files.createFile(log);
        int total = rate * seconds;
        long[] latency = new long[total];
        AtomicInteger received = new AtomicInteger();
        AtomicLong tailerThread = new AtomicLong();
        LogTailer tailer = new LogTailer(new TailSettings(log, Duration.ofSeconds(1), 65536, null), false, false, m -> { });
        Thread t = new Thread(() -> {
            tailerThread.set(Thread.currentThread().getId());
            try {
                tailer.run((line, pos) -> {
                    long now = System.nanoTime();
                    int sp = line.indexOf(' ');
                    int seq = Integer.parseInt(line, 4, sp, 10);
                    latency[seq] = now - Long.parseLong(line, sp + 3, line.indexOf(' ', sp + 1), 10);
                    received.incrementAndGet();
                });
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "tailer");
        t.start();
        Thread.sleep(300); // let it open the file and start at its end
        long cpu0 = THREADS.getThreadCpuTime(tailerThread.get());
        long wall0 = System.nanoTime();
        appendPaced(log, rate, total);
        for (int i = 0; i < 1000 && received.get() < total; i++) Thread.sleep(10);
        double cpu = 100.0 * (THREADS.getThreadCpuTime(tailerThread.get()) - cpu0) / (System.nanoTime() - wall0);
        tailer.close();
        t.join();
        if (received.get() < total) throw new IllegalStateException("received " + received.get() + " of " + total);
        Arrays.sort(latency);
        return new Row(rate, total, ms(latency, 0.50), ms(latency, 0.99), ms(latency, 0.999), latency[total - 1] / 1e6, cpu);
    }

    /** Appends lines due by now each millisecond, one write() per line, each stamped just before its write. */
    static void appendPaced(Path log, int rate, int total) throws Exception {
        try (FileOutputStream out = new FileOutputStream(log.toFile(), true)) {
            long start = System.nanoTime();
            int next = 0;
            while (next < total) {
                long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
                for (; next < due; next++) {
                    out.write(("seq=" + next + " t=" + System.nanoTime() + PAD + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    static double ms(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /** CPU used by the whole process (tailer and the JDK's inotify thread) while following a file nobody writes. */
    static double idleCpu(Path log, int seconds) throws Exception {
        Files.createFile(log);
        LogTailer tailer = new LogTailer(new TailSettings(log, Duration.ofSeconds(1), 65536, null), false, false, m -> { });
        Thread t = new Thread(() -> {
            try {
                tailer.run((line, pos) -> { });
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        t.start();
        Thread.sleep(500);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double pct = 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - wall0);
        tailer.close();
        t.join();
        return pct;
    }

    /** Lines/s and MB/s reading {@code lines} short lines in once mode; the best of three runs. */
    static double[] throughput(Path log, int lines) throws Exception {
        try (var out = Files.newBufferedWriter(log)) {
            for (int i = 0; i < lines; i++) out.write("10.0.0." + (i % 250) + " - - \"GET /i/" + i + " HTTP/1.1\" 200 " + (i % 9000) + "\n");
        }
        double best = 0;
        for (int run = 0; run < 3; run++) {
            long[] count = {0};
            LogTailer tailer = new LogTailer(new TailSettings(log, Duration.ofSeconds(1), 65536, null), true, true, m -> { });
            long t0 = System.nanoTime();
            tailer.run((line, pos) -> count[0]++);
            double s = (System.nanoTime() - t0) / 1e9;
            if (count[0] != lines) throw new IllegalStateException("read " + count[0] + " of " + lines + " lines");
            best = Math.max(best, lines / s);
        }
        double mb = Files.size(log) / 1e6;
        return new double[] {best, best * mb / lines};
    }

    static void print(List<Row> rows, double idle, double[] once, boolean json) {
        if (json) {
            StringBuilder b = new StringBuilder("{\"latency\":[");
            for (Row r : rows) {
                if (b.charAt(b.length() - 1) != '[') b.append(',');
                b.append(String.format(Locale.ROOT, "{\"rate\":%d,\"lines\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                        + "\"p999_ms\":%.3f,\"max_ms\":%.3f,\"tailer_cpu_percent\":%.1f}",
                        r.rate(), r.lines(), r.p50(), r.p99(), r.p999(), r.max(), r.cpuPercent()));
            }
            b.append(String.format(Locale.ROOT, "],\"idle_cpu_percent\":%.3f,\"once_lines_per_second\":%.0f,\"once_mb_per_second\":%.0f}",
                    idle, once[0], once[1]));
            System.out.println(b);
            return;
        }
        System.out.println("append-to-receive latency (ms), LogTailer following by name, WatchService + 1 s polling fallback");
        System.out.println(" lines/s    lines     p50     p99   p99.9     max   tailer CPU");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%8d %8d %7.3f %7.3f %7.3f %7.2f %10.1f%%%n",
                    r.rate(), r.lines(), r.p50(), r.p99(), r.p999(), r.max(), r.cpuPercent());
        }
        System.out.printf(Locale.ROOT, "idle: process CPU %.3f%% of one core while following a quiet file%n", idle);
        System.out.printf(Locale.ROOT, "once mode: %.2f M lines/s (%.0f MB/s), counting sink%n", once[0] / 1e6, once[1]);
    }
}
