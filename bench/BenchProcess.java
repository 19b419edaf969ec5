// BenchProcess.java -- runs Sentinel's scripts as real processes for bench.java and measures them from outside.

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starts {@code ./jbang <script>} processes and reads what the OS knows about them (/proc) and what they print. */
final class BenchProcess {
    private static final Pattern OWN_RATE = Pattern.compile("(\\d+) lines, .* in ([0-9.]+) s \\(([0-9,]+) lines/s\\)");
    private static final Pattern TRAIN_SECONDS = Pattern.compile("\\(([0-9.]+) s in all\\)");

    /** What one finished run showed: exit code, wall time, time to the first byte on stdout, peak RSS, stderr. */
    record Result(int exit, double wallSeconds, double firstOutputSeconds, long peakRssKb, String stderr) {
        /** detect's own summary: {lines, seconds, lines/s}, or null. */
        double[] ownRate() {
            Matcher m = OWN_RATE.matcher(stderr);
            if (!m.find()) return null;
            return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3).replace(",", ""))};
        }

        /** train's own "(x s in all)", or NaN. */
        double trainSeconds() {
            Matcher m = TRAIN_SECONDS.matcher(stderr);
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }
    }

    private final Path root;
    private final Path work;
    private final Map<String, String> env;

    BenchProcess(Path root, Path work, Map<String, String> env) {
        this.root = root;
        this.work = work;
        this.env = env;
    }

    ProcessBuilder builder(String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("jbang").toString(), "--quiet", root.resolve(script).toString()));
        cmd.addAll(List.of(args));
        return environment(new ProcessBuilder(cmd));
    }

    /**
     * The java command JBang would exec for {@code script} (its runtime options, cached jar and dependencies), from
     * {@code jbang info tools}: runs it without JBang's own JVM in front, so JVM start can be told apart from it.
     */
    List<String> direct(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(root.resolve("jbang").toString(), "--quiet", "info", "tools", root.resolve(script).toString())
                .directory(work.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] json = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) throw new IllegalStateException("jbang info tools " + script + " failed");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        List<String> classpath = new ArrayList<>();
        String main = null;
        try (JsonParser in = new JsonFactory().createParser(json)) {
            in.nextToken();
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken t = in.nextToken();
                switch (name) {
                    case "runtimeOptions" -> { while (in.nextToken() != JsonToken.END_ARRAY) cmd.add(in.getText()); }
                    case "applicationJar" -> classpath.add(0, in.getText());
                    case "resolvedDependencies" -> { while (in.nextToken() != JsonToken.END_ARRAY) classpath.add(in.getText()); }
                    case "mainClass" -> main = in.getText();
                    default -> in.skipChildren();
                }
            }
        }
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, classpath));
        cmd.add(main);
        return cmd;
    }

    /** Runs {@code command} (e.g. {@link #direct}) like {@link #run}. */
    Result runCommand(Path stdoutFile, List<String> command) throws IOException, InterruptedException {
        return finish(environment(new ProcessBuilder(command)), stdoutFile, String.join(" ", command.subList(command.size() - 1, command.size())));
    }

    private ProcessBuilder environment(ProcessBuilder pb) {
        pb.directory(work.toFile());
        pb.environment().remove("SLACK_WEBHOOK_URL");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().put("NO_COLOR", "1");
        pb.environment().putAll(env);
        return pb;
    }

    /** Compiles {@code script} afresh ({@code jbang build --fresh}): a jar left half-written by an interrupted build is replaced. */
    void build(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(root.resolve("jbang").toString(), "--quiet", "build", "--fresh", root.resolve(script).toString())
                .directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("cannot build " + script + ":\n" + out);
    }

    /**
     * Runs a script to its end with stdout written to {@code stdoutFile} (or read and discarded, timing its first byte),
     * timing it from spawn to exit and polling its peak RSS. Fails on a non-zero exit.
     */
    Result run(Path stdoutFile, String script, String... args) throws IOException, InterruptedException {
        return finish(builder(script, args), stdoutFile, script + " " + String.join(" ", args));
    }

    private Result finish(ProcessBuilder pb, Path stdoutFile, String what) throws IOException, InterruptedException {
        Path err = Files.createTempFile(work, "stderr", ".txt");
        pb.redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // to a file: straight from the process, so copying its output costs this JVM no CPU; else through a pipe,
        // timing the first byte
        if (stdoutFile != null) pb.redirectOutput(stdoutFile.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        long[] first = {-1};
        Thread drain = stdoutFile != null ? null : drain(p.getInputStream(), n -> {
            if (first[0] < 0) first[0] = System.nanoTime();
        });
        long peak = 0;
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) peak = Math.max(peak, peakRssKb(p.pid()));
        long t1 = System.nanoTime();
        if (drain != null) drain.join();
        String stderr = Files.readString(err);
        Files.delete(err);
        if (p.exitValue() != 0) throw new IllegalStateException(what + " exited " + p.exitValue() + ":\n" + stderr);
        return new Result(p.exitValue(), (t1 - t0) / 1e9, first[0] < 0 ? Double.NaN : (first[0] - t0) / 1e9, peak, stderr);
    }

    /** Reads {@code in} to its end and discards it, telling {@code onBytes} about each read, on a daemon thread. */
    static Thread drain(InputStream in, LongConsumer onBytes) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[1 << 16];
            try (InputStream src = in) {
                for (int n; (n = src.read(buf)) > 0; ) onBytes.accept(n);
            } catch (IOException e) {
                // the process ended; what it wrote is what we have
            }
        }, "bench-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** VmHWM (peak resident set) of a live process in KiB, or 0 once it is gone. */
    static long peakRssKb(long pid) {
        return procStatus(pid, "VmHWM:");
    }

    /** VmRSS of a live process in KiB, or 0 once it is gone. */
    static long rssKb(long pid) {
        return procStatus(pid, "VmRSS:");
    }

    private static long procStatus(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
            }
        } catch (IOException | RuntimeException e) {
            // the process has exited
        }
        return 0;
    }

    /** {max heap after GC, max heap committed} in MiB from a -Xlog:gc file ("... 24M->3M(128M) ..."). */
    static double[] heapFromGcLog(Path log) throws IOException {
        Pattern p = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
        double after = 0;
        double committed = 0;
        if (!Files.exists(log)) return new double[] {Double.NaN, Double.NaN};
        for (String line : Files.readAllLines(log)) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                after = Math.max(after, Double.parseDouble(m.group(2)));
                committed = Math.max(committed, Double.parseDouble(m.group(3)));
            }
        }
        return new double[] {after, committed};
    }

    /** The median of {@code values}. */
    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
