// SlackMessageTest.java -- payloads carry every fact the on-call needs, and nothing an attacker can use.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class SlackMessageTest {
    static final String HOSTILE_LINE = "203.0.113.66 - - [27/Nov/2025:10:00:00 +0000] \"GET /<!channel>/admin?q=<http://evil|click>&u=<@U123>"
            + " HTTP/1.1\" 404 512 \"-\" \"<!here> sqlmap/1.7 `whoami` *bold* @channel\"";
    static final Instant DETECTED = Instant.parse("2025-11-27T10:00:02Z");

    static Verdict verdict(AccessRecord r, long lineNo) {
        return new Verdict(lineNo, r.raw(), r, null, 0.7312, 0.6205, true, new double[0], List.of(
                new Verdict.Contribution("status_4xx", 1, 0, 0),
                new Verdict.Contribution("path_depth", 7, 1, 3),
                new Verdict.Contribution("query_special_chars", 0.4567, 0, 0.05)), "access.log:4711");
    }

    static Verdict hostileVerdict() {
        ParseResult p = new AccessLogParser(LogFormat.COMBINED).parse(HOSTILE_LINE);
        return verdict(assertInstanceOf(ParseResult.Parsed.class, p).record(), 42);
    }

    /** Every string value in a parsed payload, depth first. */
    static List<String> strings(Object json) {
        List<String> out = new ArrayList<>();
        if (json instanceof String s) out.add(s);
        else if (json instanceof Map<?, ?> m) m.values().forEach(v -> out.addAll(strings(v)));
        else if (json instanceof List<?> l) l.forEach(v -> out.addAll(strings(v)));
        return out;
    }

    @Test
    void anomalyPayloadIsValidSlackJsonWithFallbackTextAndBlocks() throws IOException {
        String json = SlackMessage.forAnomaly(hostileVerdict(), "web-1", "/var/log/nginx/access.log", DETECTED).toJson();
        Map<?, ?> m = assertInstanceOf(Map.class, FakeSlack.parse(json));
        assertInstanceOf(String.class, m.get("text"));
        assertTrue(((List<?>) m.get("blocks")).size() >= 4);
        assertEquals(false, m.get("unfurl_links"));
        assertEquals(false, m.get("unfurl_media"));
        assertEquals(200, FakeSlack.validate(json).status());
    }

    @Test
    void hostileMentionsLinksAndFormattingArriveInert() throws IOException {
        String json = SlackMessage.forAnomaly(hostileVerdict(), "web-1", "access.log", DETECTED).toJson();
        for (String s : strings(FakeSlack.parse(json))) {
            assertFalse(s.contains("<") || s.contains(">"), "unescaped angle bracket in: " + s);
            assertFalse(s.contains("@channel"), "plain mention in: " + s);
        }
        assertTrue(json.contains("&lt;!channel&gt;") && json.contains("&lt;!here&gt;") && json.contains("&lt;@\u2060U123&gt;")
                && json.contains("&lt;http://evil|click&gt;"), json);
        assertTrue(json.contains("`&lt;!here&gt; sqlmap/1.7 ˋwhoamiˋ *bold* @\u2060channel`"), "user agent stays one code span");
    }

    @Test
    void anomalyNamesEveryFactTheOnCallNeeds() {
        SlackMessage msg = SlackMessage.forAnomaly(hostileVerdict(), "web-1", "/var/log/nginx/access.log", DETECTED);
        String json = msg.toJson();
        for (String fact : List.of("Anomaly detected", "`203.0.113.66`", "`GET`", "/&lt;!channel&gt;/admin?q=", "*Status*\\n404",
                "*Bytes*\\n512", "0.731 ≥ threshold 0.621", "`status_4xx` = 1 (training 0 – 0)", "`path_depth` = 7 (training 1 – 3)",
                "`query_special_chars` = 0.457 (training 0 – 0.05)", "`web-1`", "`/var/log/nginx/access.log`", "line 42",
                "`27/Nov/2025:10:00:00 +0000`", "detected 2025-11-27T10:00:02Z")) {
            assertTrue(json.contains(fact), "missing " + fact + " in " + json);
        }
        assertTrue(msg.text().startsWith("🚨 Anomaly on web-1: `203.0.113.66` `GET` `/&lt;!channel&gt;/admin"), msg.text());
        assertTrue(msg.text().endsWith("→ 404, score 0.731 ≥ threshold 0.621"), msg.text());
    }

    @Test
    void controlCharactersNeverReachThePayload() throws IOException {
        AccessRecord r = new AccessRecord("10.0.0.1", 0, "t", "GET", "/a\u001b[2J\u0007b\u202Ec", "", "HTTP/1.1", 200, 1234567, "",
                "curl\r\nX-Injected: 1", "raw");
        String json = SlackMessage.forAnomaly(verdict(r, 1), "h", "f", DETECTED).toJson();
        for (String s : strings(FakeSlack.parse(json))) {
            assertTrue(s.codePoints().noneMatch(c -> Character.getType(c) == Character.CONTROL && c != '\n'), s);
            assertFalse(s.contains("\u202E"), s);
        }
        assertTrue(json.contains("`/a[2Jbc`") && json.contains("`curl  X-Injected: 1`"), json);
        assertTrue(json.contains("*Bytes*\\n1,234,567"), json);
    }

    @Test
    void overLongFieldsAreCutToStayInsideSlackLimits() throws IOException {
        String huge = "&<".repeat(50_000);
        AccessRecord r = new AccessRecord(huge, 0, huge, huge, "/" + huge, huge, "HTTP/1.1", 200, 1, huge, huge, huge);
        List<Verdict.Contribution> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) many.add(new Verdict.Contribution(huge, i, 0, 1));
        Verdict v = new Verdict(1, huge, r, null, 0.9, 0.5, true, new double[0], many, null);
        SlackMessage msg = SlackMessage.forAnomaly(v, huge, huge, DETECTED);
        assertEquals(200, FakeSlack.validate(msg.toJson()).status(), "Slack would reject: " + FakeSlack.validate(msg.toJson()));
        assertTrue(msg.text().length() <= 3_000, "fallback text " + msg.text().length());
        assertTrue(msg.toJson().contains("…"));
        assertTrue(msg.toJson().length() < 20_000, "payload " + msg.toJson().length());
    }

    @Test
    void summaryCountsAnomaliesClientsAndTopPaths() {
        AlertSummary s = new AlertSummary(37, 4, false,
                List.of(new AlertSummary.Tally("/wp-login.php", 20), new AlertSummary.Tally("/<!here>", 10)),
                List.of(new AlertSummary.Tally("203.0.113.9", 30)), 0.81, 0.62,
                Instant.parse("2025-11-27T10:00:01Z"), Instant.parse("2025-11-27T10:00:29Z"));
        SlackMessage msg = SlackMessage.summary(s, "web-1", "access.log");
        assertEquals("📦 37 more anomalies from 4 clients on web-1: top paths `/wp-login.php` ×20, `/&lt;!here&gt;` ×10", msg.text());
        for (String fact : List.of("between 2025-11-27T10:00:01Z and 2025-11-27T10:00:29Z", "`203.0.113.9` ×30", "highest score 0.810 (threshold 0.620)")) {
            assertTrue(msg.toJson().contains(fact), "missing " + fact + " in " + msg.toJson());
        }
        assertEquals(200, FakeSlack.validate(msg.toJson()).status());
    }

    @Test
    void summaryMarksACappedClientCount() {
        AlertSummary s = new AlertSummary(5000, 1000, true, List.of(), List.of(), 0.9, 0.6, DETECTED, DETECTED);
        assertTrue(SlackMessage.summary(s, "h", "f").text().startsWith("📦 5000 more anomalies from 1000+ clients"));
    }

    @Test
    void testMessageArrivesExactlyAsTyped() throws IOException {
        SlackMessage msg = SlackMessage.test("Deploy <!here> & check\u0007", "web-1");
        assertEquals("🔔 Sentinel test alert from web-1: Deploy &lt;!here&gt; &amp; check", msg.text());
        assertEquals(200, FakeSlack.validate(msg.toJson()).status());
    }

    @Test
    void numbersAreCompact() {
        assertEquals("3", SlackMessage.number(3.0));
        assertEquals("0.05", SlackMessage.number(0.05));
        assertEquals("1234.6", SlackMessage.number(1234.56));
        assertEquals("–", SlackMessage.number(Double.NaN));
    }

    @Test
    void everyRealAttackLineGivesAPayloadSlackAccepts() throws IOException {
        Path data = TestSupport.nginxReal();
        Assumptions.assumeTrue(data != null, "../shared/data/nginx-real is absent: skipping the real-attack payload check");
        Set<Integer> attacks = new HashSet<>();
        List<String> rows = Files.readAllLines(data.resolve("dev_labels.csv"));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            if (f[1].equals("1")) attacks.add(Integer.parseInt(f[0]));
        }
        AccessLogParser parser = new AccessLogParser(LogFormat.COMBINED);
        List<String> lines = Files.readAllLines(data.resolve("dev_access.log"));
        int checked = 0;
        for (int n : attacks) {
            if (!(parser.parse(lines.get(n - 1)) instanceof ParseResult.Parsed p)) continue;
            String json = SlackMessage.forAnomaly(verdict(p.record(), n), "web-1", "dev_access.log", DETECTED).toJson();
            assertEquals(200, FakeSlack.validate(json).status(), lines.get(n - 1));
            for (String s : strings(FakeSlack.parse(json))) assertFalse(s.contains("<") || s.contains(">"), lines.get(n - 1));
            checked++;
        }
        assertTrue(checked > 1_000, "parsed attack lines: " + checked);
    }
}
