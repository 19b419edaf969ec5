///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Sentinel's performance benchmark: training, batch and live throughput, latency, memory, model size and load.
//JAVA 17+
//SOURCES lib/*.java
//SOURCES bench/BenchProcess.java
//SOURCES bench/BenchLive.java
//SOURCES bench/BenchMemory.java
//SOURCES bench/BenchPython.java
//SOURCES bench/BenchReport.java

// Run it:   ./jbang bench.java                 (about 5 minutes on 2 cores; the scripts run as real processes)
//           ./jbang bench.java --python        (also the course's Python design on the same files, ~2 more minutes)
//           ./jbang bench.java --quick         (smaller sizes: a smoke run of the harness)
// You see:  the machine's load, then a table: figure, value, target, met / MISSED; the same as JSON in
//           bench/out/bench-results.json. Each process figure is the median of --repeats runs.

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sentinel.Cli;
import sentinel.Detector;
import sentinel.ExitCodes;
import sentinel.LogFormat;
import sentinel.ModelBundle;
import sentinel.TrafficSimulator;

@Command(name = "bench", mixinStandardHelpOptions = true, version = "Sentinel 0.1.0", showDefaultValues = true,
        description = "Measure Sentinel: training, batch and live throughput, append-to-verdict latency, memory, model size and load.")
public class bench implements Callable<Integer> {
    @Option(names = "--lines", description = "Lines in the batch log.") int lines = 1_000_000;
    @Option(names = "--train-lines", description = "Lines in the training log.") int trainLines = 100_000;
    @Option(names = "--long-lines", description = "Lines in the longer batch log for the sustained rate (0: skip).") int longLines = 3_000_000;
    @Option(names = "--memory-lines", description = "Lines fed to detect for the memory figure.") long memoryLines = 10_000_000;
    @Option(names = "--clients", description = "Distinct client addresses in the memory run.") int clients = 1_000_000;
    @Option(names = "--rates", split = ",", description = "Append rates (lines/s) for the latency figures.") int[] rates = {1_000, 10_000};
    @Option(names = "--live-seconds", description = "Seconds of appending at each rate.") double liveSeconds = 10;
    @Option(names = "--repeats", description = "Runs of each process figure (the median is reported).") int repeats = 3;
    @Option(names = "--python", description = "Also measure the course's Python design (needs python3 with scikit-learn).") boolean python;
    @Option(names = "--quick", description = "Small sizes: checks the harness in about a minute.") boolean quick;
    @Option(names = "--out", description = "Folder for the generated logs, the model and bench-results.json.") Path out = Path.of("bench/out");
    @Option(names = "--only", split = ",", description = "Run only these parts: start, train, model, batch, sustained, live, memory (training runs whenever the model is missing).")
    java.util.Set<String> only;

    private final BenchReport report = new BenchReport();
    private BenchProcess procs;
    private Path work;
    private String[] logLines;

    @Override
    public Integer call() throws Exception {
        if (quick) {
            lines = 100_000;
            longLines = 300_000;
            trainLines = 20_000;
            memoryLines = 500_000;
            clients = 100_000;
            liveSeconds = 3;
            repeats = 1;
        }
        String source = System.getProperty("jbang.source"); // set by JBang: this file, so the repo is its folder
        Path root = source != null ? Path.of(source).toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
        work = Files.createDirectories(root.resolve(out).toAbsolutePath());
        procs = new BenchProcess(snapshot(root, work.resolve("snapshot")), work, Map.of());
        context();
        Path train = generate("train", trainLines, 42, 0.0);
        Path log = generate("detect", lines, 7, 0.1);
        logLines = Files.readAllLines(log).toArray(String[]::new);
        Path small = work.resolve("first-verdict.log");
        Files.write(small, List.of(logLines).subList(0, 1000));
        procs.build("detect.java"); // compiled once here, so no measured run pays for compiling
        procs.build("train.java");
        if (part("start")) startup();
        if (part("train") || !Files.exists(work.resolve("model.bin"))) training(train);
        if (part("model")) model();
        if (part("batch")) batch(log, small);
        if (part("sustained") && longLines > lines) sustained(log);
        if (part("live")) live();
        if (part("memory")) memory();
        if (python) python(train, log);
        report.context("load average at the end", load());
        report.printTable(System.out);
        Path json = work.resolve("bench-results.json");
        report.writeJson(json);
        System.out.println();
        System.out.println("JSON: " + json);
        return ExitCodes.OK;
    }

    /**
     * Copies the scripts, lib/ and the fetched JBang jar into {@code to}, and runs everything from there: edits made
     * to the checkout while the benchmark runs (recompiles) cannot reach the measured processes.
     */
    private static Path snapshot(Path repo, Path to) throws Exception {
        if (Files.exists(to)) {
            try (var old = Files.walk(to)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.createDirectories(to.resolve("lib"));
        Files.createDirectories(to.resolve(".cache"));
        for (String f : List.of("jbang", "detect.java", "train.java")) Files.copy(repo.resolve(f), to.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        try (var lib = Files.list(repo.resolve("lib"))) {
            for (Path f : lib.filter(f -> f.toString().endsWith(".java")).toList()) Files.copy(f, to.resolve("lib").resolve(f.getFileName()));
        }
        if (Files.isDirectory(repo.resolve(".cache"))) {
            try (var cache = Files.list(repo.resolve(".cache"))) {
                for (Path f : cache.filter(f -> f.toString().endsWith(".jar")).toList()) Files.copy(f, to.resolve(".cache").resolve(f.getFileName()));
            }
        }
        return to;
    }

    private boolean part(String name) {
        return only == null || only.contains(name);
    }

    private void context() {
        report.context("command", "./jbang bench.java" + (quick ? " --quick" : "") + (python ? " --python" : ""));
        report.context("date", Instant.now().toString());
        report.context("cores", Runtime.getRuntime().availableProcessors());
        report.context("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        report.context("load average at the start", load());
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return String.valueOf(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** The simulator's deterministic log (the recipe in TrafficSimulator's Javadoc), written once and reused. */
    private Path generate(String name, int count, long seed, double anomalyRate) throws Exception {
        Path f = work.resolve(name + "-" + count + "-seed" + seed + ".log");
        if (!Files.exists(f)) {
            Path tmp = work.resolve(f.getFileName() + ".tmp");
            try (var w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                TrafficSimulator.writeBatch(seed, anomalyRate, LogFormat.COMBINED, Instant.parse("2025-11-27T00:00:00Z"), 20.0, count, w);
            }
            Files.move(tmp, f);
        }
        return f;
    }

    private void startup() throws Exception {
        double[] jbang = new double[repeats];
        double[] jvm = new double[repeats];
        List<String> direct = new ArrayList<>(procs.direct("detect.java"));
        direct.add("--version");
        for (int i = 0; i < repeats; i++) {
            jbang[i] = procs.run(null, "detect.java", "--version").wallSeconds();
            jvm[i] = procs.runCommand(null, direct).wallSeconds();
        }
        report.add("start_jvm_seconds", "JVM start (java -cp <cached jar> detect --version)", BenchProcess.median(jvm), "s");
        report.add("start_jbang_seconds", "JBang's own launch before that (./jbang detect.java --version, minus the above)",
                BenchProcess.median(jbang) - BenchProcess.median(jvm), "s");
    }

    private void training(Path train) throws Exception {
        double[] wall = new double[repeats];
        double[] own = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            // a first training each time: with a model in place, train.java also judges the data with the old one
            Files.deleteIfExists(work.resolve("model.bin"));
            BenchProcess.Result r = procs.run(null, "train.java", "--train-file", train.toString(), "--model-file", "model.bin");
            wall[i] = r.wallSeconds();
            own[i] = r.trainSeconds();
        }
        report.atMost("train_seconds", "(a) training on " + String.format("%,d", trainLines) + " lines (train's own summary)",
                BenchProcess.median(own), "s", 1.0);
        report.add("train_process_seconds", "(a) train.java, whole process (JBang, JVM start, saving)", BenchProcess.median(wall), "s");
    }

    private void model() throws Exception {
        Path file = work.resolve("model.bin");
        report.add("model_bytes", "(e) model file size", Files.size(file) / 1024.0, "KiB");
        double[] ms = new double[6];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            new Detector(ModelBundle.load(file), LogFormat.AUTO); // what detect does at start: load, check, flatten
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        report.add("model_load_cold_ms", "(e) model load + flatten, first in a fresh JVM", ms[0], "ms");
        report.add("model_load_warm_ms", "(e) model load + flatten, warm (median of 5)", BenchProcess.median(java.util.Arrays.copyOfRange(ms, 1, 6)), "ms");
    }

    private void batch(Path log, Path small) throws Exception {
        double[] wall = new double[repeats];
        double[] own = new double[repeats];
        double[] start = new double[repeats];
        double[] rss = new double[repeats];
        Path sink = work.resolve("batch-stdout.txt");
        for (int i = 0; i < repeats; i++) {
            BenchProcess.Result r = procs.run(sink, "detect.java", "--once", "--from-start", "--log-file", log.toString(), "--model-file", "model.bin");
            double[] o = r.ownRate();
            wall[i] = lines / r.wallSeconds();
            own[i] = o[2];
            start[i] = r.wallSeconds() - o[1];
            rss[i] = r.peakRssKb() / 1024.0;
        }
        BenchProcess.Result json = procs.run(sink, "detect.java", "--once", "--from-start", "--json", "--log-file", log.toString(), "--model-file", "model.bin");
        Files.deleteIfExists(sink);
        double[] first = new double[repeats];
        double[] firstJbang = new double[repeats];
        List<String> direct = new ArrayList<>(procs.direct("detect.java"));
        direct.addAll(List.of("--once", "--from-start", "--log-file", small.toString(), "--model-file", "model.bin"));
        for (int i = 0; i < repeats; i++) {
            first[i] = procs.runCommand(null, direct).firstOutputSeconds();
            firstJbang[i] = procs.run(null, "detect.java", "--once", "--from-start", "--log-file", small.toString(), "--model-file", "model.bin").firstOutputSeconds();
        }
        report.atLeast("batch_own_lines_per_s", "(b) detect --once, its own summary", BenchProcess.median(own), "lines/s", 1_000_000);
        report.atLeast("batch_process_lines_per_s", "(b) detect --once, whole process (start included)", BenchProcess.median(wall), "lines/s", 600_000);
        report.add("batch_start_seconds", "(b) JBang + JVM start + model load, before the first line", BenchProcess.median(start), "s");
        report.add("batch_json_own_lines_per_s", "(b) detect --once --json, its own summary", json.ownRate()[2], "lines/s");
        report.atMost("batch_peak_rss_mib", "(b) detect --once peak RSS", BenchProcess.median(rss), "MiB", 256);
        report.atMost("first_verdict_seconds", "JVM start to first verdict (cached build)", BenchProcess.median(first), "s", 1.0);
        report.add("first_verdict_jbang_seconds", "./jbang detect.java start to first verdict (cached build)", BenchProcess.median(firstJbang), "s");
    }

    /**
     * The batch rate once the JVM is warm: the extra lines of a longer log of the same traffic over the extra time its
     * run took (both from detect's own summaries, medians), so start, JIT warm-up and the first blocks cancel out.
     */
    private void sustained(Path log) throws Exception {
        Path longer = generate("detect", longLines, 7, 0.1);
        Path sink = work.resolve("batch-stdout.txt");
        double[] shortSecs = new double[repeats], longSecs = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            double[] a = procs.run(sink, "detect.java", "--once", "--from-start", "--log-file", log.toString(), "--model-file", "model.bin").ownRate();
            double[] b = procs.run(sink, "detect.java", "--once", "--from-start", "--log-file", longer.toString(), "--model-file", "model.bin").ownRate();
            shortSecs[i] = a[0] / a[2];
            longSecs[i] = b[0] / b[2];
        }
        Files.deleteIfExists(sink);
        double rate = (longLines - lines) / (BenchProcess.median(longSecs) - BenchProcess.median(shortSecs));
        report.atLeast("batch_sustained_lines_per_s", "(b) detect --once sustained: lines " + String.format("%,d", lines + 1) + " to "
                + String.format("%,d", longLines) + " of a longer log (JVM warm)", rate, "lines/s", 1_000_000);
    }

    private void live() throws Exception {
        try (BenchLive live = new BenchLive(procs, work, logLines, "--model-file", "model.bin")) {
            live.awaitReady(120);
            live.maxRate(Math.min(lines, 200_000), 600); // warm-up: class loading and JIT, as a long-running detect has
            double rate = live.maxRate(lines, 600);
            report.atLeast("live_lines_per_s", "(c) live: lines/s while a writer appends as fast as it can", rate, "lines/s", 200_000);
            List<Object> latencies = new ArrayList<>();
            for (int r : rates) {
                BenchLive.Latency l = live.atRate(r, liveSeconds, 600);
                String at = String.format("%,d", r);
                report.add("live_p50_ms_at_" + r, "(c) append-to-verdict p50 at " + at + " lines/s", l.p50Ms(), "ms");
                if (r == 10_000) report.atMost("live_p99_ms_at_" + r, "(c) append-to-verdict p99 at " + at + " lines/s", l.p99Ms(), "ms", 20);
                else report.add("live_p99_ms_at_" + r, "(c) append-to-verdict p99 at " + at + " lines/s", l.p99Ms(), "ms");
                latencies.add(Map.of("rate", r, "lines", l.lines(), "p50_ms", l.p50Ms(), "p99_ms", l.p99Ms(), "max_ms", l.maxMs(), "achieved_rate", l.achievedRate()));
            }
            report.add("live_peak_rss_mib", "(c) live detect peak RSS", BenchProcess.peakRssKb(live.pid()) / 1024.0, "MiB");
            report.extra("live_latencies", latencies);
            report.extra("live_detect_stderr", live.stop().strip());
        }
    }

    private void memory() throws Exception {
        BenchMemory.Result m = BenchMemory.run(procs, work, logLines, memoryLines, clients, "--model-file", "model.bin");
        long tenth = memoryLines / 10;
        double early = BenchMemory.rssAt(m.samples(), 2 * tenth) / 1024.0;
        double late = BenchMemory.rssAt(m.samples(), memoryLines) / 1024.0;
        String n = String.format("%,d", memoryLines);
        report.atMost("memory_peak_rss_mib", "(d) detect peak RSS over " + n + " lines, " + String.format("%,d", clients) + " clients", m.peakRssKb() / 1024.0, "MiB", 256);
        report.add("memory_rss_growth_mib", "(d) RSS growth from 20% to 100% of the lines", late - early, "MiB");
        report.add("memory_heap_after_gc_mib", "(d) heap after GC (max)", m.heapAfterGcMiB(), "MiB");
        report.add("memory_heap_committed_mib", "(d) heap committed (max)", m.heapCommittedMiB(), "MiB");
        report.add("memory_lines_per_s", "(d) stdin throughput, whole process", memoryLines / m.wallSeconds(), "lines/s");
        List<Object> samples = new ArrayList<>();
        for (BenchMemory.Sample s : m.samples()) samples.add(List.of(s.lines(), s.rssKb()));
        report.extra("memory_samples_lines_rss_kib", samples);
    }

    private void python(Path train, Path log) throws Exception {
        String py = BenchPython.findPython();
        if (py == null) {
            report.extra("python", "skipped: no python3 with scikit-learn (Debian: apt-get install python3-sklearn)");
            return;
        }
        Map<String, Object> f = new LinkedHashMap<>(BenchPython.run(py, work, train, log, quick ? 300 : 2000));
        report.extra("python", f);
        double batchLines = ((Number) f.get("batch_lines")).doubleValue();
        report.add("py_train_seconds", "Python: training (parse + fit)", (double) f.get("train_parse_s") + (double) f.get("train_fit_s"), "s");
        report.add("py_live_lines_per_s", "Python: one predict per line", (double) f.get("live_lines_per_s"), "lines/s");
        report.add("py_live_p50_ms", "Python: per-line p50", (double) f.get("live_p50_ms"), "ms");
        report.add("py_live_p99_ms", "Python: per-line p99", (double) f.get("live_p99_ms"), "ms");
        report.add("py_batch_lines_per_s", "Python: batch (parse + one predict)", batchLines / ((double) f.get("batch_parse_s") + (double) f.get("batch_predict_s")), "lines/s");
        report.add("py_peak_rss_mib", "Python: peak RSS", (double) f.get("peak_rss_mib"), "MiB");
        report.add("py_model_kib", "Python: model size (pickle)", (double) f.get("model_bytes") / 1024, "KiB");
        report.add("py_model_load_ms", "Python: model load", (double) f.get("model_load_s") * 1000, "ms");
    }

    public static void main(String... args) {
        System.exit(Cli.run(new bench(), args));
    }
}
