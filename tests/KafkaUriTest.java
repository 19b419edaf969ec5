package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaUriTest {

    @Test
    void parsesBrokersTopicAndEveryParameter() {
        KafkaUri u = KafkaUri.parse("kafka://k1.example.net:9092,10.0.0.2:9093/web-logs?group=sentinel&from=EARLIEST&instance=web-7", "--source");
        assertEquals(List.of("k1.example.net:9092", "10.0.0.2:9093"), u.servers());
        assertEquals("k1.example.net:9092,10.0.0.2:9093", u.bootstrap());
        assertEquals("web-logs", u.topic());
        assertEquals("sentinel", u.group());
        assertEquals("earliest", u.from());
        assertEquals("web-7", u.instance());
        assertEquals("kafka://k1.example.net:9092,10.0.0.2:9093/web-logs?group=sentinel&from=earliest&instance=web-7", u.toString());
    }

    @Test
    void leavesWhatTheUriOmitsToTheCallersDefaults() {
        KafkaUri u = KafkaUri.parse("KAFKA://[::1]:9092/alerts/", "--alerts-to");
        assertEquals(List.of("[::1]:9092"), u.servers());
        assertEquals("alerts", u.topic());
        assertNull(u.group());
        assertEquals("sentinel-detect", u.groupOr("sentinel-detect"));
        assertEquals("latest", u.fromOr("latest"));
        assertEquals("kafka://[::1]:9092/alerts", u.toString());
    }

    @Test
    void recognisesKafkaUrisOnly() {
        assertTrue(KafkaUri.isKafka("kafka://h:1/t"));
        assertFalse(KafkaUri.isKafka("logs/access.log"));
        assertFalse(KafkaUri.isKafka(null));
    }

    @Test
    void rejectsMalformedUrisWithOneLineNamingTheOption() {
        String[][] cases = {
            {"logs/access.log", "expected kafka://host:port"},
            {"kafka://h:9092", "no topic"},
            {"kafka:///t", "no broker address"},
            {"kafka://h/t", "each broker must be host:port"},
            {"kafka://h:0/t", "must be 1 to 65535"},
            {"kafka://h:99999/t", "must be 1 to 65535"},
            {"kafka://user:secret@h:9092/t", "each broker must be host:port"},
            {"kafka://h:9092/bad topic", "the topic must be"},
            {"kafka://h:9092/..", "the topic must be"},
            {"kafka://h:9092/t?from=middle", "from= must be earliest or latest"},
            {"kafka://h:9092/t?grup=x", "unknown parameter 'grup'"},
            {"kafka://h:9092/t?group=a&group=b", "group= is given twice"},
            {"kafka://h:9092/t?group=", "group= must be"},
            {"kafka://h:9092/t?group=a b", "group= must be"},
        };
        for (String[] c : cases) {
            SentinelException e = assertThrows(SentinelException.class, () -> KafkaUri.parse(c[0], "--source"), c[0]);
            assertEquals(ExitCodes.BAD_INPUT, e.status());
            assertTrue(e.getMessage().startsWith("--source: "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void escapesControlCharactersEchoedInErrors() {
        SentinelException e = assertThrows(SentinelException.class, () -> KafkaUri.parse("kafka://h:1/t\u001b[2J", "--source"));
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
    }
}
