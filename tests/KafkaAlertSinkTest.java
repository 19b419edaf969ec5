package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The producer half of alerts at scale, on Kafka's MockProducer; the real path runs in KafkaClusterTest. */
class KafkaAlertSinkTest {
    final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    final KafkaAlertSink sink = new KafkaAlertSink(producer, KafkaUri.parse("kafka://127.0.0.1:9092/sentinel-alerts", "--alerts-to"),
            "detector-1", Clock.fixed(Instant.parse("2025-11-27T10:00:02Z"), ZoneOffset.UTC));

    @Test
    void publishesAnomaliesKeyedByClientAndNothingElse() {
        Verdict anomaly = KafkaAlertTest.verdict(KafkaAlertTest.LINE, "web-logs-0@3");
        Verdict ok = new Verdict(1, "x", anomaly.record(), null, 0.3, 0.6, false, new double[0], List.of(), null);
        sink.accept(anomaly);
        sink.accept(ok);
        sink.accept(null);
        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertEquals(1, sent.size());
        assertEquals("sentinel-alerts", sent.get(0).topic());
        assertEquals("203.0.113.66", sent.get(0).key(), "keyed by client: one client's alerts stay in order on one partition");
        KafkaAlert a = KafkaAlert.parse(new String(sent.get(0).value(), StandardCharsets.UTF_8));
        assertEquals("detector-1", a.detector());
        assertEquals("web-logs-0@3", a.position());
    }

    @Test
    void flushFailsWhenAnAlertWasNotAcknowledgedSoOffsetsAreNotCommitted() {
        sink.accept(KafkaAlertTest.verdict(KafkaAlertTest.LINE, "web-logs-0@3"));
        producer.errorNext(new TimeoutException("Expiring 1 record(s) for sentinel-alerts-0"));
        SentinelException e = assertThrows(SentinelException.class, sink::flush);
        assertEquals(ExitCodes.FAILURE, e.status());
        assertTrue(e.getMessage().startsWith("could not publish alerts: cannot reach a Kafka broker at 127.0.0.1:9092"), e.getMessage());
        assertTrue(sink.stats().startsWith("1 published to sentinel-alerts, 0 acknowledged"), sink.stats());
    }

    @Test
    void flushReturnsOnceEveryAlertIsAcknowledged() {
        sink.accept(KafkaAlertTest.verdict(KafkaAlertTest.LINE, "web-logs-0@3"));
        producer.completeNext();
        sink.flush();
        assertEquals("1 published to sentinel-alerts, 1 acknowledged", sink.stats());
    }
}
