package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaAlertTest {
    static final String LINE = "203.0.113.66 - - [27/Nov/2025:10:00:00 +0000] \"GET /q?id=1%27%20OR%201=1-- HTTP/1.1\" 500 12"
            + " \"-\" \"sqlmap/1.7 \\x22quoted\\x22 <!here> caf\u00e9 \\ end\"";
    static final Instant NOW = Instant.parse("2025-11-27T10:00:02Z");

    static Verdict verdict(String line, String position) {
        AccessRecord r = ((ParseResult.Parsed) new AccessLogParser(LogFormat.COMBINED).parse(line)).record();
        return new Verdict(7, line, r, null, 0.7312, 0.6205, true, new double[0], List.of(
                new Verdict.Contribution("sql_tokens", 3, 0, 0), new Verdict.Contribution("status_class", 5, 2, 3)), position);
    }

    @Test
    void roundTripsThroughJsonWithHostileTextIntact() {
        KafkaAlert a = KafkaAlert.of(verdict(LINE, "web-logs-2@41"), "detector-1", NOW);
        KafkaAlert back = KafkaAlert.parse(new String(a.toJson(), StandardCharsets.UTF_8));
        assertEquals(a, back);
        assertEquals("203.0.113.66", back.client());
        assertEquals("sql_tokens", back.rule(), "the strongest reason names the rule");
        assertEquals(Instant.parse("2025-11-27T10:00:00Z").getEpochSecond(), back.eventSecond());
        assertEquals(LINE, back.line());
    }

    @Test
    void replaysHaveTheSameDedupeKeyWhoeverDetectedThemAndWhen() {
        KafkaAlert first = KafkaAlert.of(verdict(LINE, "web-logs-2@41"), "detector-1", NOW);
        KafkaAlert replay = KafkaAlert.of(verdict(LINE, "web-logs-2@41"), "detector-2", NOW.plusSeconds(3600));
        Duration window = Duration.ofMinutes(5);
        assertEquals(first.dedupeKey(window), replay.dedupeKey(window), "keyed on the log's clock, not the detector's");
        assertEquals("203.0.113.66|sql_tokens|" + (first.eventSecond() / 300), first.dedupeKey(window));
        KafkaAlert otherClient = KafkaAlert.of(verdict(LINE.replace("203.0.113.66", "203.0.113.67"), "p@1"), "d", NOW);
        KafkaAlert laterWindow = KafkaAlert.of(verdict(LINE.replace("10:00:00", "10:05:00"), "p@2"), "d", NOW);
        assertNotEquals(first.dedupeKey(window), otherClient.dedupeKey(window));
        assertNotEquals(first.dedupeKey(window), laterWindow.dedupeKey(window));
    }

    @Test
    void givesTheNotifierTheVerdictItNeeds() {
        KafkaAlert a = KafkaAlert.parse(new String(KafkaAlert.of(verdict(LINE, "web-logs-2@41"), "d", NOW).toJson(), StandardCharsets.UTF_8));
        Verdict v = a.toVerdict(new AccessLogParser(LogFormat.AUTO));
        assertTrue(v.anomaly());
        assertEquals("203.0.113.66", v.record().ip());
        assertEquals(500, v.record().status());
        assertEquals(0.7312, v.score());
        assertEquals("web-logs-2@41", v.position());
        assertEquals(List.of("sql_tokens", "status_class"), v.reasons().stream().map(Verdict.Contribution::feature).toList());
    }

    @Test
    void rejectsWhatIsNotASentinelAlert() {
        for (String s : List.of("", "not json", "[1,2]", "{}", "{\"type\":\"other\",\"client\":\"a\",\"line\":\"x\"}",
                "{\"type\":\"sentinel.alert\",\"client\":\"a\"}", "{\"type\":\"sentinel.alert\",\"client\":\"a\",\"line\":")) {
            assertThrows(IllegalArgumentException.class, () -> KafkaAlert.parse(s), s);
        }
    }
}
