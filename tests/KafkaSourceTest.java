package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Offset and rebalance logic on Kafka's own MockConsumer; the real broker runs in KafkaClusterTest. */
class KafkaSourceTest {
    static final String TOPIC = "web-logs";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0), P1 = new TopicPartition(TOPIC, 1);

    ConsumerRebalanceListener listener;
    final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public void subscribe(Collection<String> topics, ConsumerRebalanceListener l) {
            listener = l; // kept, to replay an eager rebalance (revoke all, assign again) that MockConsumer does not model
            super.subscribe(topics, l);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            events.add("commit " + offsets);
            commits.putAll(offsets);
            super.commitSync(offsets, timeout);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            events.add("commit " + offsets);
            commits.putAll(offsets);
            super.commitAsync(offsets, callback);
        }
    };
    /** Every offset committed, latest per partition (MockConsumer forgets them when closed). */
    final Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
    final List<String> events = new ArrayList<>();
    final List<String> notices = new ArrayList<>();
    final ClientWindow window = new ClientWindow(1000);
    final double[] scratch = new double[ClientWindow.FEATURES.length];

    KafkaSource source(boolean once, boolean perClient) {
        KafkaUri uri = KafkaUri.parse("kafka://127.0.0.1:9092/" + TOPIC + "?group=g", "--source");
        var hooks = new KafkaSource.Hooks(perClient ? () -> window : null, () -> events.add("beforeCommit"), () -> events.add("assigned"));
        return new KafkaSource(consumer, uri, "g", 100, once, hooks, notices::add);
    }

    static String line(String ip, int n) {
        return ip + " - - [27/Nov/2025:10:00:00 +0000] \"GET /item/" + n + " HTTP/1.1\" 200 512 \"-\" \"test\"";
    }

    static ConsumerRecord<byte[], byte[]> record(TopicPartition tp, long offset, String key, String value) {
        return new ConsumerRecord<>(tp.topic(), tp.partition(), offset, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Assigns {@code parts} at offset 0 and queues {@code records}, on the next poll. */
    void assignThenAdd(List<TopicPartition> parts, List<ConsumerRecord<byte[], byte[]>> records) {
        consumer.schedulePollTask(() -> {
            consumer.rebalance(parts);
            for (TopicPartition tp : parts) consumer.seek(tp, 0);
            records.forEach(consumer::addRecord);
        });
    }

    LineSource.Sink observing(KafkaSource s) {
        return (line, position) -> {
            events.add(position);
            window.observe(line.substring(0, line.indexOf(' ')), 1_000, 200, true, 0, 1, false, scratch, 0);
        };
    }

    @Test
    void handsLinesOverInOrderWithTopicPartitionOffsetAndCommitsAfterThem() throws Exception {
        KafkaSource s = source(false, true);
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        assignThenAdd(List.of(P0), List.of(record(P0, 0, "10.0.0.1", line("10.0.0.1", 0) + "\r\n"),
                record(P0, 1, "10.0.0.1", line("10.0.0.1", 1))));
        consumer.schedulePollTask(s::close);
        List<String> lines = new ArrayList<>();
        s.run((line, position) -> {
            lines.add(line);
            events.add(position);
        });
        assertEquals(List.of(line("10.0.0.1", 0), line("10.0.0.1", 1)), lines, "newline stripped, order kept");
        assertEquals(List.of("assigned", "web-logs-0@0", "web-logs-0@1", "beforeCommit"), events.subList(0, 4));
        assertEquals(2L, commits.get(P0).offset(), "the next offset to read is committed");
        assertTrue(consumer.closed());
    }

    @Test
    void commitsOnlyLinesTheSinkFinishedWhenStoppedMidBatch() throws Exception {
        KafkaSource s = source(false, true);
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        List<ConsumerRecord<byte[], byte[]>> recs = new ArrayList<>();
        for (int i = 0; i < 10; i++) recs.add(record(P0, i, "10.0.0.1", line("10.0.0.1", i)));
        assignThenAdd(List.of(P0), recs);
        List<String> seen = new ArrayList<>();
        s.run((line, position) -> {
            seen.add(position);
            if (seen.size() == 4) s.close(); // e.g. SIGTERM while the 4th line is judged
        });
        assertEquals(4, seen.size(), "the line in hand is finished, the rest is left");
        assertEquals(4L, commits.get(P0).offset());
    }

    @Test
    void commitsNothingWhenTheSinkFails() {
        KafkaSource s = source(false, true);
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        assignThenAdd(List.of(P0), List.of(record(P0, 0, "10.0.0.1", line("10.0.0.1", 0)), record(P0, 1, "10.0.0.1", line("10.0.0.1", 1))));
        SentinelException e = assertThrows(SentinelException.class, () -> s.run((line, position) -> {
            if (position.endsWith("@1")) throw SentinelException.failure("could not publish alerts", null);
        }));
        assertEquals("could not publish alerts", e.getMessage());
        assertNull(commits.get(P0), "at-least-once: the failed line and its batch are read again");
    }

    @Test
    void onRevocationCommitsWhatWasProcessedAndForgetsOnlyThatPartitionsClients() throws Exception {
        KafkaSource s = source(false, true);
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        assignThenAdd(List.of(P0, P1), List.of(record(P0, 0, "10.0.0.1", line("10.0.0.1", 0)), record(P0, 1, "10.0.0.2", line("10.0.0.2", 1)),
                record(P1, 0, "10.0.0.3", line("10.0.0.3", 2))));
        long[] committedAtRevocation = {-1};
        int[] clientsAfter = {-1};
        consumer.schedulePollTask(() -> {
            events.add("rebalance");
            consumer.rebalance(List.of(P1)); // P0 moves to another detector
            committedAtRevocation[0] = commits.get(P0).offset();
            clientsAfter[0] = window.size();
        });
        consumer.schedulePollTask(s::close);
        s.run(observing(s));
        assertEquals(2L, committedAtRevocation[0], events.toString());
        List<String> afterRebalance = events.subList(events.indexOf("rebalance") + 1, events.size());
        assertEquals("beforeCommit", afterRebalance.get(0), events.toString());
        assertTrue(afterRebalance.get(1).matches("commit \\{web-logs-0=OffsetAndMetadata\\{offset=2\\b.*"), "P0 alone, synchronously: " + events);
        assertEquals(1, clientsAfter[0], "10.0.0.1 and 10.0.0.2 came from P0 and are forgotten; 10.0.0.3 stays");
        assertTrue(notices.stream().anyMatch(n -> n.contains("now reading web-logs partitions [1] as group g")), notices.toString());
    }

    @Test
    void keepsClientStateOfAPartitionThatComesStraightBack() throws Exception {
        KafkaSource s = source(false, true);
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        assignThenAdd(List.of(P0), List.of(record(P0, 0, "10.0.0.1", line("10.0.0.1", 0))));
        int[] clientsAfter = {-1};
        consumer.schedulePollTask(() -> {
            listener.onPartitionsRevoked(List.of(P0)); // an eager rebalance revokes everything...
            listener.onPartitionsAssigned(List.of(P0)); // ...and hands P0 back: nobody else read it in between
            clientsAfter[0] = window.size();
        });
        consumer.schedulePollTask(s::close);
        s.run(observing(s));
        assertEquals(1, clientsAfter[0]);
    }

    @Test
    void warnsOnceThatUnkeyedRecordsMakePerClientWindowsApproximate() throws Exception {
        KafkaSource s = source(false, true);
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        assignThenAdd(List.of(P0), List.of(record(P0, 0, null, line("10.0.0.1", 0)), record(P0, 1, null, line("10.0.0.2", 1)),
                record(P0, 2, "10.0.0.9", line("10.0.0.3", 2))));
        consumer.schedulePollTask(s::close);
        s.run(observing(s));
        assertEquals(1, notices.stream().filter(n -> n.contains("have no key") && n.contains("approximate")).count(), notices.toString());
        assertEquals(1, notices.stream().filter(n -> n.contains("is not the client address")).count(), notices.toString());
    }

    @Test
    void saysNothingAboutKeysWhenThereIsNoPerClientState() throws Exception {
        KafkaSource s = source(false, false);
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        assignThenAdd(List.of(P0), List.of(record(P0, 0, null, "{\"type\":\"sentinel.alert\"}")));
        consumer.schedulePollTask(s::close);
        s.run((line, position) -> { });
        assertTrue(notices.stream().noneMatch(n -> n.contains("warning")), notices.toString());
    }

    @Test
    void onceModeEndsWhenCaughtUpWithTheEndOffsets() throws Exception {
        KafkaSource s = source(true, true);
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 3L));
        assignThenAdd(List.of(P0), List.of(record(P0, 0, "a", "a 0"), record(P0, 1, "a", "a 1"), record(P0, 2, "a", "a 2")));
        List<String> seen = new ArrayList<>();
        s.run((line, position) -> seen.add(line)); // returns by itself: no close() scheduled
        assertEquals(List.of("a 0", "a 1", "a 2"), seen);
        assertEquals(3L, commits.get(P0).offset());
    }

    @Test
    void skipsTombstonesButCommitsPastThem() throws Exception {
        KafkaSource s = source(true, false);
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.updateEndOffsets(Map.of(P0, 2L));
        assignThenAdd(List.of(P0), List.of(record(P0, 0, "a", null), record(P0, 1, "a", "a 1")));
        List<String> seen = new ArrayList<>();
        s.run((line, position) -> seen.add(position));
        assertEquals(List.of("web-logs-0@1"), seen);
        OffsetAndMetadata c = commits.get(P0);
        assertEquals(2L, c.offset());
    }

    @Test
    void cutsLongRecordsOnACharacterBoundaryAndMarksThem() {
        byte[] v = ("ab" + "é".repeat(10) + "\n").getBytes(StandardCharsets.UTF_8); // 2 + 20 bytes + newline
        assertEquals("abéé [truncated 16 bytes]", KafkaSource.text(v, 7), "the 7th byte would split an é");
        assertEquals("ab" + "é".repeat(10), KafkaSource.text(v, 22));
        assertEquals("", KafkaSource.text("\r\n".getBytes(StandardCharsets.UTF_8), 10));
        assertEquals("x\uFFFDy", KafkaSource.text(new byte[] {'x', (byte) 0xC3, 'y'}, 10), "bad UTF-8 is replaced");
    }
}
