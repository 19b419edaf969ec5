// KafkaBroker.java -- a real local Kafka broker for tests (kafka/broker.sh on free loopback ports), plus scripts run in the background.
package sentinel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One KRaft broker (broker and controller in one process) started by {@code kafka/broker.sh} — the script CI
 * and the README use — and stopped by its PID in {@link #close()}. The script also stops it if this JVM dies.
 */
public final class KafkaBroker implements AutoCloseable {
    private final int port;
    private final long pid;

    private KafkaBroker(int port, long pid) {
        this.port = port;
        this.pid = pid;
    }

    /** Starts a broker on free loopback ports; waits at most 30 s for it (plus the one-time jar download). */
    public static KafkaBroker start() throws IOException, InterruptedException {
        int port = freePort(), controller = freePort();
        Path out = Files.createTempFile("kafka-start", ".txt");
        Process p = new ProcessBuilder(script().toString(), "start", "--port", String.valueOf(port), "--controller-port",
                String.valueOf(controller), "--owner", String.valueOf(ProcessHandle.current().pid()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        String text = Files.readString(out);
        Files.deleteIfExists(out);
        if (!done) {
            p.destroyForcibly();
            stop(port);
            throw new IllegalStateException("kafka/broker.sh start did not finish in time:\n" + text);
        }
        Matcher m = Pattern.compile("bootstrap=127\\.0\\.0\\.1:" + port + " pid=(\\d+)").matcher(text);
        if (p.exitValue() != 0 || !m.find()) throw new IllegalStateException("kafka/broker.sh start failed:\n" + text);
        return new KafkaBroker(port, Long.parseLong(m.group(1)));
    }

    static Path script() {
        return TestSupport.repoRoot().resolve("kafka/broker.sh");
    }

    /** A loopback port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** {@code kafka://127.0.0.1:<port>/<topic>} plus {@code query} (may be empty). */
    public String uri(String topic, String query) {
        return "kafka://" + bootstrap() + "/" + topic + (query.isEmpty() ? "" : "?" + query);
    }

    public long pid() {
        return pid;
    }

    private Properties props() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        return p;
    }

    /** Creates {@code name} with {@code partitions} partitions. */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin a = Admin.create(props())) {
            a.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Sends {@code lines}, each keyed by its first field (the client IP), as a log shipper set up per the README does. */
    public void produce(String topic, List<String> lines) {
        Properties p = props();
        p.put("acks", "all");
        p.put("linger.ms", "5");
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String l : lines) producer.send(new ProducerRecord<>(topic, l.substring(0, l.indexOf(' ')), l));
        }
    }

    /** The group's committed offsets on {@code topic}: partition → next offset to read. */
    public Map<Integer, Long> committed(String group, String topic) throws Exception {
        Map<Integer, Long> out = new HashMap<>();
        try (Admin a = Admin.create(props())) {
            Map<TopicPartition, OffsetAndMetadata> all = a.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            all.forEach((tp, o) -> {
                if (tp.topic().equals(topic) && o != null) out.put(tp.partition(), o.offset());
            });
        }
        return out;
    }

    /** Stops the broker by its PID (via the script) and deletes its log dir. */
    @Override
    public void close() throws IOException, InterruptedException {
        stop(port);
        // only if the script could not stop it, and only that broker (not a process that reused its PID)
        ProcessHandle.of(pid).filter(h -> h.info().commandLine().map(c -> c.contains("kafka.Kafka")).orElse(false))
                .ifPresent(ProcessHandle::destroyForcibly);
    }

    private static void stop(int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(script().toString(), "stop", "--port", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
    }

    /** A repo script running in the background ({@code ./jbang <script> args}), output in files, bounded waits. */
    public static final class Script implements AutoCloseable {
        private final Process process;
        private final Path out, err;
        private long counted, newlines;

        private Script(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** Starts {@code ./jbang <args>} in {@code dir}; the jbang launcher execs java, so the PID is the JVM's. */
        public static Script start(Path dir, Map<String, String> env, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(TestSupport.repoRoot().resolve("jbang").toString());
            cmd.add("--quiet");
            cmd.addAll(List.of(args));
            Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().remove("SLACK_WEBHOOK_URL");
            pb.environment().put("NO_COLOR", "1");
            if (env != null) pb.environment().putAll(env);
            return new Script(pb.start(), out, err);
        }

        public String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        public String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /** Newlines written to stdout so far, read incrementally (outputs here run to tens of megabytes). */
        public long lineCount() throws IOException {
            try (var ch = java.nio.channels.FileChannel.open(out)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(1 << 16);
                ch.position(counted);
                for (int n; (n = ch.read(buf)) > 0; buf.clear()) {
                    for (int i = 0; i < n; i++) if (buf.get(i) == '\n') newlines++;
                    counted += n;
                }
            }
            return newlines;
        }

        /** Complete stdout lines (a line cut by a kill is left out). */
        public List<String> lines() throws IOException {
            String s = stdout();
            int end = s.lastIndexOf('\n');
            return end < 0 ? List.of() : List.of(s.substring(0, end).split("\n"));
        }

        /** Waits (at most {@code max}) until {@code ready} holds for this script; false if it did not, or the script ended. */
        public boolean await(Predicate<Script> ready, Duration max) throws InterruptedException {
            long end = System.nanoTime() + max.toNanos();
            while (System.nanoTime() < end) {
                if (ready.test(this)) return true;
                if (!process.isAlive()) return ready.test(this);
                Thread.sleep(100);
            }
            return false;
        }

        /** SIGTERM (a clean stop), then waits at most {@code max} for the exit; returns the exit status. */
        public int terminate(Duration max) throws InterruptedException {
            process.destroy();
            return waitFor(max);
        }

        /** SIGKILL: the process dies at once, as in a crash. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        /** Waits at most {@code max} for the exit (killing the script after that); returns the exit status. */
        public int waitFor(Duration max) throws InterruptedException {
            if (!process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("script did not end within " + max + ": " + process.info().commandLine().orElse("?"));
            }
            return process.exitValue();
        }

        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) kill();
        }
    }
}
