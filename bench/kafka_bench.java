///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Measures detection throughput from a Kafka topic: lines/s for one detector and for two in one consumer group.
//JAVA 17+
//SOURCES ../lib/*.java

// Run: ./jbang bench/kafka_bench.java [--lines 300000] [--partitions 4] [--bootstrap host:port] [--json]   (about 1.5 min)
// Starts a local broker with kafka/broker.sh (unless --bootstrap names one), fills a topic with simulated traffic
// (1% attacks) keyed by client IP, then runs detect's own pipeline — KafkaSource (group member, commits after each
// poll) → Detector → JSON verdicts (to a null stream) — until caught up: first one detector, then two detectors in a
// fresh group (two consumers in this JVM, each with its own Detector, sharing this machine's cores with the broker).
// Prints lines/s for each (after one unreported warm-up round), measured from the moment the group is complete
// (its last partition assignment) until the last verdict.

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import sentinel.Config;
import sentinel.DetectionRun;
import sentinel.Detector;
import sentinel.KafkaSource;
import sentinel.LogFormat;
import sentinel.ModelBundle;
import sentinel.TrafficSimulator;
import sentinel.Training;
import sentinel.VerdictPrinter;

public class kafka_bench {
    record Round(int detectors, long lines, double seconds, List<Long> perDetector) {
        double rate() { return lines / seconds; }
    }

    public static void main(String[] args) throws Exception {
        int lines = 300_000, partitions = 4;
        String bootstrap = null;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Integer.parseInt(args[++i]);
                case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                case "--bootstrap" -> bootstrap = args[++i];
                case "--json" -> json = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the top of this file)");
            }
        }
        Path root = Path.of("").toAbsolutePath();
        if (!Files.isExecutable(root.resolve("kafka/broker.sh"))) throw new IllegalStateException("run from the repository root");
        int port = -1;
        if (bootstrap == null) {
            port = freePort();
            bootstrap = startBroker(root, port);
        }
        try {
            Config cfg = Config.load(null, false, Map.of(), Map.of("train_file", root.resolve("logs/train_logs.txt").toString()));
            ModelBundle bundle = new Training(cfg.model()).run(cfg.trainFile(), null, true).bundle();
            String topic = "bench-" + System.currentTimeMillis();
            createTopic(bootstrap, topic, partitions);
            double produced = produce(bootstrap, topic, lines);
            round(bootstrap, topic, bundle, 1, lines); // warm-up (class loading, JIT), not reported
            List<Round> rounds = List.of(round(bootstrap, topic, bundle, 1, lines), round(bootstrap, topic, bundle, 2, lines));
            report(rounds, lines, partitions, produced, json);
        } finally {
            if (port > 0) new ProcessBuilder(root.resolve("kafka/broker.sh").toString(), "stop", "--port", String.valueOf(port))
                    .inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String startBroker(Path root, int port) throws Exception {
        Process p = new ProcessBuilder(root.resolve("kafka/broker.sh").toString(), "start", "--port", String.valueOf(port),
                "--controller-port", String.valueOf(freePort()), "--owner", String.valueOf(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(180, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("broker did not start:\n" + out);
        Matcher m = Pattern.compile("bootstrap=(\\S+)").matcher(out);
        if (!m.find()) throw new IllegalStateException(out);
        return m.group(1);
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin a = Admin.create(p)) {
            a.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Fills the topic with simulated lines keyed by client IP; returns the producer's lines/s. */
    static double produce(String bootstrap, String topic, int lines) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", "10");
        p.put("compression.type", "lz4");
        TrafficSimulator sim = new TrafficSimulator(42, 0.01, LogFormat.COMBINED);
        Instant t = Instant.parse("2025-11-27T00:00:00Z");
        long started = System.nanoTime();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < lines; i++) {
                String line = sim.next(t.plusMillis(i * 20L)).line();
                producer.send(new ProducerRecord<>(topic, line.substring(0, line.indexOf(' ')), line));
            }
        }
        return lines / ((System.nanoTime() - started) / 1e9);
    }

    /**
     * {@code n} detectors in a fresh group, each on its own thread, each until caught up. Measured from the last
     * partition assignment before the first detector finished (the group is complete then; the lines judged before,
     * while members were still joining, are left out) to the last verdict.
     */
    static Round round(String bootstrap, String topic, ModelBundle bundle, int n, int expected) throws Exception {
        String source = "kafka://" + bootstrap + "/" + topic + "?group=bench-" + n + "-" + System.nanoTime();
        List<DetectionRun> runs = new ArrayList<>();
        List<long[]> assignments = new ArrayList<>(); // {nanoTime, lines judged by then}
        Runnable assigned = () -> {
            long lines = runs.stream().mapToLong(DetectionRun::lines).sum(); // read across threads: close enough here
            synchronized (assignments) {
                assignments.add(new long[] {System.nanoTime(), lines});
            }
        };
        List<KafkaSource> sources = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Detector d = new Detector(bundle, LogFormat.AUTO);
            VerdictPrinter printer = new VerdictPrinter(OutputStream.nullOutputStream(), true, false, false, false);
            runs.add(new DetectionRun(d, printer, v -> { }));
            sources.add(KafkaSource.forDetect(source, null, 65_536, true, true,
                    new KafkaSource.Hooks(() -> d.featurizer().clients(), printer::flush, assigned), s -> { }));
        }
        long[] finished = new long[n];
        List<Thread> threads = new ArrayList<>();
        Exception[] failure = new Exception[1];
        for (int i = 0; i < n; i++) {
            KafkaSource s = sources.get(i);
            DetectionRun r = runs.get(i);
            int k = i;
            Thread t = new Thread(() -> {
                try {
                    s.run(r);
                } catch (Exception e) {
                    failure[0] = e;
                }
                finished[k] = System.nanoTime();
            }, "detector-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        if (failure[0] != null) throw failure[0];
        long firstDone = Long.MAX_VALUE, lastDone = 0;
        for (long f : finished) {
            firstDone = Math.min(firstDone, f);
            lastDone = Math.max(lastDone, f);
        }
        long[] from = assignments.get(0);
        for (long[] a : assignments) if (a[0] < firstDone) from = a;
        List<Long> per = runs.stream().map(DetectionRun::lines).toList();
        long total = per.stream().mapToLong(Long::longValue).sum();
        if (total != expected) System.err.println("warning: " + total + " verdicts for " + expected + " lines");
        return new Round(n, total - from[1], (lastDone - from[0]) / 1e9, per);
    }

    static void report(List<Round> rounds, int lines, int partitions, double produced, boolean json) {
        if (json) {
            StringBuilder sb = new StringBuilder("{\"lines\":" + lines + ",\"partitions\":" + partitions
                    + String.format(Locale.ROOT, ",\"producer_lines_per_s\":%.0f,\"rounds\":[", produced));
            for (Round r : rounds) {
                if (sb.charAt(sb.length() - 1) == '}') sb.append(',');
                sb.append(String.format(Locale.ROOT, "{\"detectors\":%d,\"lines\":%d,\"seconds\":%.2f,\"lines_per_s\":%.0f,\"per_detector\":%s}",
                        r.detectors(), r.lines(), r.seconds(), r.rate(), r.perDetector()));
            }
            System.out.println(sb.append("]}"));
            return;
        }
        System.out.printf(Locale.ROOT, "%,d simulated lines in a %d-partition topic, keyed by client IP (produced at %,.0f lines/s)%n",
                lines, partitions, produced);
        for (Round r : rounds) {
            System.out.printf(Locale.ROOT, "%d detector%s in one group: %,.0f lines/s (%,d lines in %.1f s once the group was complete; per detector %s)%n",
                    r.detectors(), r.detectors() == 1 ? "" : "s", r.rate(), r.lines(), r.seconds(), r.perDetector());
        }
        System.out.printf(Locale.ROOT, "(%d cores, shared with the broker)%n", Runtime.getRuntime().availableProcessors());
    }
}
