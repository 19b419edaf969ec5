package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientsTest {
    @TempDir Path dir;
    final KafkaUri uri = KafkaUri.parse("kafka://k1:9092,k2:9092/web-logs?group=from-uri", "--source");

    Properties file(String text) throws Exception {
        Path p = dir.resolve("client.properties");
        Files.writeString(p, text);
        return KafkaClients.load(p);
    }

    @Test
    void passesTheFileThroughButKeepsCommitsManual() throws Exception {
        Properties user = file("security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\nenable.auto.commit=true\ngroup.id=from-file\n"
                + "session.timeout.ms=10000\nauto.offset.reset=earliest\n");
        List<String> notices = new ArrayList<>();
        Properties p = KafkaClients.consumer(uri, user, "sentinel-detect", "latest", notices::add);
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("10000", p.get("session.timeout.ms"));
        assertEquals("k1:9092,k2:9092", p.get("bootstrap.servers"));
        assertEquals("from-uri", p.get("group.id"), "the URI names the group first");
        assertEquals("earliest", p.get("auto.offset.reset"), "the file's choice when the URI has no from=");
        assertEquals("false", p.get("enable.auto.commit"), "at-least-once needs commits after each verdict");
        assertEquals("false", p.get("allow.auto.create.topics"));
        assertEquals(1, notices.size(), notices.toString());
    }

    @Test
    void fillsInDefaultsForWhatNobodySet() throws Exception {
        KafkaUri bare = KafkaUri.parse("kafka://k1:9092/web-logs?instance=web-3", "--source");
        Properties p = KafkaClients.consumer(bare, new Properties(), "sentinel-detect", "latest", s -> fail(s));
        assertEquals("sentinel-detect", p.get("group.id"));
        assertEquals("latest", p.get("auto.offset.reset"));
        assertEquals("web-3", p.get("group.instance.id"), "static membership from instance=");
    }

    @Test
    void producerIsIdempotentWithAcksAllWhateverTheFileSays() throws Exception {
        Properties p = KafkaClients.producer(uri, file("acks=1\nenable.idempotence=false\nlinger.ms=50\n"));
        assertEquals("all", p.get("acks"));
        assertEquals("true", p.get("enable.idempotence"));
        assertEquals("50", p.get("linger.ms"), "tuning stays the operator's");
    }

    @Test
    void aMissingConfigFileIsBadInput() {
        SentinelException e = assertThrows(SentinelException.class, () -> KafkaClients.load(dir.resolve("nope.properties")));
        assertEquals(ExitCodes.BAD_INPUT, e.status());
        assertTrue(e.getMessage().endsWith("nope.properties does not exist"), e.getMessage());
        assertTrue(KafkaClients.load(null).isEmpty());
    }

    @Test
    void explainsClientErrorsInOneLineNamingBrokersAndTopic() {
        String timeout = KafkaClients.explain(new org.apache.kafka.common.errors.TimeoutException("x"), uri, "source").getMessage();
        String auth = KafkaClients.explain(new org.apache.kafka.common.errors.SaslAuthenticationException("bad\ncredentials"), uri, "source").getMessage();
        String topic = KafkaClients.explain(new org.apache.kafka.common.errors.UnknownTopicOrPartitionException("x"), uri, "source").getMessage();
        assertTrue(timeout.startsWith("cannot reach a Kafka broker at k1:9092,k2:9092 (source) within 10 s"), timeout);
        assertEquals("Kafka at k1:9092,k2:9092 refused the credentials in kafka_config: bad", auth);
        assertTrue(topic.startsWith("source: topic 'web-logs' does not exist on k1:9092,k2:9092"), topic);
        for (String m : List.of(timeout, auth, topic)) assertFalse(m.contains("\n"), m);
    }
}
