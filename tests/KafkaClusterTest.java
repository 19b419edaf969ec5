package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on a real Kafka broker (KRaft, started by kafka/broker.sh), with detect.java and alert.java as separate
 * processes: a group shares the work exactly once, survives a SIGKILL without losing lines, alerts reach a
 * Slack-like server grouped and never twice, and a missing broker or topic fails fast with one line.
 */
class KafkaClusterTest {
    @TempDir static Path dir;
    static KafkaBroker broker;
    static Path model;

    static final long BASE = Instant.parse("2025-11-27T10:00:00Z").getEpochSecond();
    static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    static final Pattern NUMBER = Pattern.compile("/item/(\\d+) ");
    static final Pattern POSITION = Pattern.compile("\"position\":\"([\\w.-]+)-(\\d+)@(\\d+)\"");
    static final Pattern CLIENT = Pattern.compile("\"client\":\"([^\"]+)\"");

    @BeforeAll
    static void startBrokerAndTrainModel() throws Exception {
        var started = CompletableFuture.supplyAsync(() -> {
            try {
                return KafkaBroker.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            model = dir.resolve("m.bin");
            TestSupport.Run t = TestSupport.jbang(dir, null, null, 180, TestSupport.repoRoot().resolve("train.java").toString(),
                    "--train-file", TestSupport.repoRoot().resolve("logs/train_logs.txt").toString(), "--model-file", model.toString());
            assertEquals(0, t.exitCode(), t.stderr());
            for (String script : List.of("detect.java", "alert.java")) { // built once here: two at once would race in JBang's cache
                TestSupport.Run b = TestSupport.jbang(dir, null, null, 300, "build", TestSupport.repoRoot().resolve(script).toString());
                assertEquals(0, b.exitCode(), b.stderr());
            }
        } finally {
            broker = started.join(); // so @AfterAll stops it whatever happened here
        }
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) broker.close();
    }

    /** Line n: one of 200 clients, a request naming n, the log's clock advancing 1 s per 50 lines. */
    static String numbered(int n) {
        String ip = "10.1." + (n % 200 / 100) + "." + (n % 100 + 1);
        return ip + " - - [" + CLF.format(Instant.ofEpochSecond(BASE + n / 50)) + "] \"GET /item/" + n + " HTTP/1.1\" 200 512 \"-\""
                + " \"Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0\"";
    }

    static KafkaBroker.Script detect(String source, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(TestSupport.repoRoot().resolve("detect.java").toString(), "--model-file",
                model.toString(), "--source", source, "--json"));
        args.addAll(List.of(more));
        return KafkaBroker.Script.start(dir, null, args.toArray(String[]::new));
    }

    /**
     * A second detector, started once the first is running: had its sources changed since the warm-up build,
     * two JBang launches at once would race rebuilding the same cache entry.
     */
    static KafkaBroker.Script second(KafkaBroker.Script first, String source, String... more) throws Exception {
        first.await(x -> stderrOf(x).contains("kafka: joining"), Duration.ofSeconds(120));
        return detect(source, more);
    }

    static String stderrOf(KafkaBroker.Script s) {
        try {
            return s.stderr();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The partitions the script's last "now reading" notice names, or null before its first. */
    static Set<Integer> assigned(KafkaBroker.Script s, String topic) {
        try {
            Matcher m = Pattern.compile("now reading " + topic + " partitions \\[([0-9, ]*)]").matcher(s.stderr());
            String last = null;
            while (m.find()) last = m.group(1);
            if (last == null) return null;
            Set<Integer> out = new TreeSet<>();
            for (String p : last.split(",\\s*")) if (!p.isBlank()) out.add(Integer.parseInt(p.strip()));
            return out;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code a} and {@code b} together hold all {@code partitions}, each a share: the group is stable. */
    static void awaitSplit(KafkaBroker.Script a, KafkaBroker.Script b, String topic, int partitions) throws Exception {
        boolean ok = a.await(x -> {
            Set<Integer> pa = assigned(a, topic), pb = assigned(b, topic);
            if (pa == null || pb == null || pa.isEmpty() || pb.isEmpty()) return false;
            Set<Integer> all = new HashSet<>(pa);
            all.addAll(pb);
            return all.size() == partitions && pa.size() + pb.size() == partitions;
        }, Duration.ofSeconds(60));
        assertTrue(ok, "both detectors got partitions of " + topic + ":\nA: " + a.stderr() + "\nB: " + b.stderr());
    }

    /** One verdict of the numbered stream: the line's number, where it came from, and its client. */
    record Judged(int n, int partition, long offset, String client) {}

    static List<Judged> judged(KafkaBroker.Script s) throws Exception {
        List<Judged> out = new ArrayList<>();
        for (String line : s.lines()) {
            Matcher n = NUMBER.matcher(line), p = POSITION.matcher(line), c = CLIENT.matcher(line);
            assertTrue(n.find() && p.find() && c.find(), "a JSON verdict with position and client: " + line);
            out.add(new Judged(Integer.parseInt(n.group(1)), Integer.parseInt(p.group(2)), Long.parseLong(p.group(3)), c.group(1)));
        }
        return out;
    }

    static Map<Integer, Integer> counts(List<Judged> js) {
        Map<Integer, Integer> m = new HashMap<>();
        for (Judged j : js) m.merge(j.n(), 1, Integer::sum);
        return m;
    }

    @Test
    @Timeout(120)
    void twoDetectorsInOneGroupJudgeEveryLineExactlyOnce() throws Exception {
        String topic = "a-logs";
        broker.createTopic(topic, 4);
        String source = broker.uri(topic, "group=ga&from=earliest");
        try (var a = detect(source); var b = second(a, source)) {
            awaitSplit(a, b, topic, 4);
            List<String> lines = new ArrayList<>();
            for (int n = 0; n < 20_000; n++) lines.add(numbered(n));
            broker.produce(topic, lines);
            assertTrue(a.await(x -> count(a) + count(b) >= 20_000, Duration.ofSeconds(60)), "20,000 verdicts in time: " + count(a) + " + " + count(b));
            a.terminate(Duration.ofSeconds(30));
            b.terminate(Duration.ofSeconds(30));
            List<Judged> ja = judged(a), jb = judged(b);
            Map<Integer, Integer> all = counts(ja);
            counts(jb).forEach((n, c) -> all.merge(n, c, Integer::sum));
            assertEquals(20_000, all.size(), "every line judged");
            assertTrue(all.values().stream().allMatch(c -> c == 1), "no line judged twice");
            assertTrue(ja.size() > 2_000 && jb.size() > 2_000, "both shared the work: " + ja.size() + " / " + jb.size());
            Set<String> clientsA = new HashSet<>(), clientsB = new HashSet<>();
            ja.forEach(j -> clientsA.add(j.client()));
            jb.forEach(j -> clientsB.add(j.client()));
            System.out.printf("group of two: %,d + %,d lines, %d + %d clients%n", ja.size(), jb.size(), clientsA.size(), clientsB.size());
            Set<String> both = new HashSet<>(clientsA);
            both.retainAll(clientsB);
            assertEquals(Set.of(), both, "keyed by client IP: each client's lines reached one detector");
            assertTrue(a.stderr().contains(ja.size() + " lines"), a.stderr());
        }
    }

    static long count(KafkaBroker.Script s) {
        try {
            return s.lineCount();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Timeout(150)
    void survivorTakesOverFromAKilledDetectorLosingNothing() throws Exception {
        String topic = "b-logs", group = "gb";
        broker.createTopic(topic, 4);
        Path props = dir.resolve("fast-failover.properties");
        Files.writeString(props, "# notice a dead member after 6 s instead of 45 s\nsession.timeout.ms=6000\nheartbeat.interval.ms=1000\n");
        String source = broker.uri(topic, "group=" + group + "&from=earliest");
        try (var a = detect(source, "--kafka-config", props.toString()); var b = second(a, source, "--kafka-config", props.toString())) {
            awaitSplit(a, b, topic, 4);
            Set<Integer> partsA = assigned(a, topic);
            var producing = CompletableFuture.runAsync(() -> {
                for (int from = 0; from < 20_000; from += 2_500) { // chunks that keep the detectors busy for a while
                    List<String> batch = new ArrayList<>();
                    for (int n = from; n < from + 2_500; n++) batch.add(numbered(n));
                    broker.produce(topic, batch);
                    sleep(1_000);
                }
            });
            assertTrue(a.await(x -> count(a) >= 2_000, Duration.ofSeconds(60)), "A judged lines: " + a.stderr());
            a.kill();
            assertFalse(producing.isDone(), "A died mid-stream, while lines were still arriving");
            Map<Integer, Long> committedAtDeath = broker.committed(group, topic); // B cannot take A's partitions for 6 s
            producing.join();
            assertTrue(b.await(x -> {
                try {
                    Set<Integer> seen = new HashSet<>(counts(judged(a)).keySet());
                    seen.addAll(counts(judged(b)).keySet());
                    return seen.size() == 20_000;
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(60)), "the survivor judged the rest: " + b.stderr());
            b.terminate(Duration.ofSeconds(30));
            assertEquals(Set.of(0, 1, 2, 3), assigned(b, topic), b.stderr());

            List<Judged> ja = judged(a), jb = judged(b);
            Map<Integer, Integer> ca = counts(ja), cb = counts(jb);
            assertTrue(ca.values().stream().allMatch(c -> c == 1) && cb.values().stream().allMatch(c -> c == 1), "no repeats within one detector");
            Set<Integer> duplicates = new TreeSet<>(ca.keySet());
            duplicates.retainAll(cb.keySet());
            Set<Integer> afterLastCommit = new TreeSet<>();
            for (Judged j : ja) {
                if (partsA.contains(j.partition()) && j.offset() >= committedAtDeath.getOrDefault(j.partition(), 0L)) afterLastCommit.add(j.n());
            }
            assertEquals(afterLastCommit, duplicates, "judged twice = exactly A's lines after its last commit");
            System.out.printf("failover: A judged %,d lines before SIGKILL, B %,d; %d judged twice (A's lines after its last commit %s)%n",
                    ja.size(), jb.size(), duplicates.size(), committedAtDeath);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> attackBurst() {
        String[] paths = {"/index.php?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--%20-", "/../../../../etc/passwd",
            "/wp-admin/setup-config.php?step=1%3Cscript%3Ealert(1)%3C/script%3E", "/cgi-bin/.%2e/.%2e/.%2e/bin/sh"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String time = CLF.format(Instant.ofEpochSecond(BASE + 3_600 + i / 4));
            out.add("198.51.100." + (i % 8 + 1) + " - - [" + time + "] \"GET " + paths[i % paths.length] + " HTTP/1.1\" " + (i % 2 == 0 ? 500 : 404)
                    + " 45 \"-\" \"sqlmap/1.7.2#stable (https://sqlmap.org)\"");
        }
        return out;
    }

    @Test
    @Timeout(150)
    void alertBurstReachesSlackGroupedAndNeverAgainAfterTheAlerterRestarts() throws Exception {
        broker.createTopic("c-logs", 2);
        broker.createTopic("c-alerts", 2);
        List<String> lines = new ArrayList<>(Files.readAllLines(TestSupport.repoRoot().resolve("logs/train_logs.txt")).subList(0, 300));
        lines.addAll(attackBurst());
        broker.produce("c-logs", lines);
        String alertsTo = broker.uri("c-alerts", "");
        KafkaBroker.Script d1 = detect(broker.uri("c-logs", "group=dc&from=earliest"), "--once", "--alerts-to", alertsTo);
        assertEquals(0, d1.waitFor(Duration.ofSeconds(60)), d1.stderr());
        long anomalies = d1.lines().stream().filter(l -> l.contains("\"verdict\":\"anomaly\"")).count();
        long burst = d1.lines().stream().filter(l -> l.contains("\"verdict\":\"anomaly\"") && l.contains("198.51.100.")).count();
        assertTrue(burst >= 30, "the attack burst is flagged: " + burst + " of 40");
        assertTrue(d1.stderr().contains(anomalies + " published to c-alerts, " + anomalies + " acknowledged"), d1.stderr());

        try (FakeSlack slack = FakeSlack.start()) {
            Map<String, String> env = Map.of("SLACK_WEBHOOK_URL", slack.url(), "SENTINEL_ALERT_GROUP_WINDOW", "2s");
            String alerter = TestSupport.repoRoot().resolve("alert.java").toString();
            // static membership: the restarted alerter takes its predecessor's place at once, without a rebalance
            String source = broker.uri("c-alerts", "group=ac&instance=alerter-1");
            try (var first = KafkaBroker.Script.start(dir, env, alerter, "--source", source)) {
                List<FakeSlack.Request> got = slack.await(2, Duration.ofSeconds(60));
                sleep(2_500); // a third message would come within one more window
                assertEquals(2, slack.requests().size(), "one alert, then one summary for the rest of the burst: " + first.stderr());
                assertTrue(got.get(0).body().contains("Anomaly detected"), got.get(0).body());
                assertTrue(got.get(1).body().matches("(?s).*📦 \\d+ more anomal.*"), got.get(1).body());
                first.kill(); // a crash: whatever it had not committed is read again
            }
            // A detector replays its input after a crash: every alert is published a second time.
            KafkaBroker.Script d2 = detect(broker.uri("c-logs", "group=dc2&from=earliest"), "--once", "--alerts-to", alertsTo);
            assertEquals(0, d2.waitFor(Duration.ofSeconds(60)), d2.stderr());
            try (var second = KafkaBroker.Script.start(dir, env, alerter, "--source", source, "--once")) {
                assertEquals(0, second.waitFor(Duration.ofSeconds(60)), second.stderr());
                Matcher m = Pattern.compile("(\\d+) alerts read, 0 passed to Slack, (\\d+) already alerted").matcher(second.stderr());
                assertTrue(m.find(), second.stderr());
                assertTrue(Long.parseLong(m.group(1)) >= anomalies, "it read at least the replayed alerts: " + second.stderr());
                assertEquals(m.group(1), m.group(2));
            }
            assertEquals(2, slack.requests().size(), "no repeat after the restart");
        }
    }

    @Test
    @Timeout(90)
    void missingBrokerOrTopicFailsFastWithOneLine() throws Exception {
        String detect = TestSupport.repoRoot().resolve("detect.java").toString();
        int closed = KafkaBroker.freePort();
        var noTopic = run(detect, "--model-file", model.toString(), "--quiet", "--source", broker.uri("no-such-topic", ""));
        var down = CompletableFuture.supplyAsync(() -> run(detect, "--model-file", model.toString(), "--quiet",
                "--source", "kafka://127.0.0.1:" + closed + "/web-logs")); // beside the next run: its 10 s wait is the slow part
        var noAlertsTopic = run(detect, "--model-file", model.toString(), "--quiet", "--source", broker.uri("no-such-topic", ""),
                "--alerts-to", broker.uri("no-such-alerts", ""));
        assertEquals(2, noTopic.exitCode(), noTopic.stderr());
        assertEquals("detect: source: topic 'no-such-topic' does not exist on " + broker.bootstrap()
                + " (create it first, e.g. with 4 partitions; see README, Many servers)\n", noTopic.stderr());
        assertEquals(2, noAlertsTopic.exitCode(), noAlertsTopic.stderr());
        assertTrue(noAlertsTopic.stderr().startsWith("detect: alerts_to: topic 'no-such-alerts' does not exist"), noAlertsTopic.stderr());
        TestSupport.Run r = down.join();
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("detect: cannot reach a Kafka broker at 127.0.0.1:" + closed + " (source) within 10 s"), r.stderr());
    }

    static TestSupport.Run run(String... args) {
        try {
            return TestSupport.jbang(dir, null, null, 60, args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
