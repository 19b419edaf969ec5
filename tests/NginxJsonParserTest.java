package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sentinel.ParseResult.Malformed;
import sentinel.ParseResult.Parsed;
import sentinel.ParseResult.Reason;

class NginxJsonParserTest {
    private final AccessLogParser json = new AccessLogParser(LogFormat.NGINX_JSON);

    /** What nginx writes with log_format ... escape=json and the usual variables. */
    static final String NGINX_LINE = "{\"time_local\":\"27/Nov/2025:10:00:00 +0100\",\"remote_addr\":\"203.0.113.9\",\"remote_user\":\"\","
            + "\"request\":\"GET /search?q=%22x%22 HTTP/1.1\",\"status\": \"404\",\"body_bytes_sent\":\"153\",\"request_time\":\"0.002\","
            + "\"http_referrer\":\"https://example.org/\",\"http_user_agent\":\"Mozilla/5.0 (X11; Linux x86_64)\"}";

    private AccessRecord record(AccessLogParser p, String line) {
        ParseResult r = p.parse(line);
        assertInstanceOf(Parsed.class, r, () -> line + " -> " + r);
        return ((Parsed) r).record();
    }

    private Reason reason(String line) {
        ParseResult r = json.parse(line);
        assertInstanceOf(Malformed.class, r, () -> line + " -> " + r);
        return ((Malformed) r).reason();
    }

    @Test
    void readsNginxEscapeJsonLineWithItsVariableNames() {
        AccessRecord r = record(json, NGINX_LINE);
        assertEquals("203.0.113.9", r.ip());
        assertEquals(Instant.parse("2025-11-27T09:00:00Z").getEpochSecond(), r.epochSecond());
        assertEquals("GET", r.method());
        assertEquals("/search", r.path());
        assertEquals("q=%22x%22", r.query());
        assertEquals("HTTP/1.1", r.protocol());
        assertEquals(404, r.status());
        assertEquals(153, r.bytes());
        assertEquals("https://example.org/", r.referrer());
        assertEquals("Mozilla/5.0 (X11; Linux x86_64)", r.userAgent());
        assertEquals(NGINX_LINE, r.raw());
    }

    @Test
    void readsSeparateMethodUriArgsAndIsoOrEpochTimesAndNumbers() {
        AccessRecord r = record(json, "{\"@timestamp\":\"2025-11-27T10:00:00.250+01:00\",\"client_ip\":\"2001:db8::1\",\"request_method\":\"POST\","
                + "\"uri\":\"/login\",\"args\":\"next=/admin\",\"server_protocol\":\"HTTP/2.0\",\"status\":401,\"bytes_sent\":0,"
                + "\"user_agent\":\"curl/8.5.0\",\"upstream\":{\"addr\":\"10.0.0.2:8080\",\"times\":[0.1,0.2]}}");
        assertEquals("2001:db8::1", r.ip());
        assertEquals(Instant.parse("2025-11-27T09:00:00Z").getEpochSecond(), r.epochSecond());
        assertEquals("POST", r.method());
        assertEquals("/login", r.path());
        assertEquals("next=/admin", r.query());
        assertEquals("HTTP/2.0", r.protocol());
        assertEquals(401, r.status());
        assertEquals("curl/8.5.0", r.userAgent());
        AccessRecord m = record(json, "{\"remote_addr\":\"10.0.0.1\",\"msec\":\"1764237600.123\",\"request_uri\":\"/a?b=1\",\"status\":\"200\"}");
        assertEquals(1764237600L, m.epochSecond());
        assertEquals("/a", m.path());
        assertEquals("b=1", m.query());
        assertEquals(-1, record(json, "{\"ip\":\"10.0.0.1\",\"time\":\"yesterday\",\"request\":\"GET / HTTP/1.1\",\"status\":\"200\"}").epochSecond());
    }

    @Test
    void decodedControlCharactersAreWrittenBackAsNginxEscapes() {
        AccessRecord r = record(json, "{\"remote_addr\":\"10.0.0.1\",\"request\":\"GET /\\u001b[31mred\\u0007 HTTP/1.1\",\"status\":\"400\","
                + "\"http_user_agent\":\"a\\\"b\\\\c\\u0000\"}");
        assertEquals("/\\x1B[31mred\\x07", r.path());
        assertEquals("a\"b\\c\\x00", r.userAgent());
        for (char c : (r.path() + r.userAgent()).toCharArray()) assertTrue(c >= 0x20 && c != 0x7f, "no control character survives");
    }

    @Test
    void brokenOrIncompleteObjectsAreMalformedWithAReason() {
        assertEquals(Reason.TRUNCATED, reason("{\"remote_addr\":\"10.0.0.1\",\"request\":\"GET / HTTP/1.1\",\"sta"));
        assertEquals(Reason.PATTERN_MISMATCH, reason("[\"10.0.0.1\"]"));
        assertEquals(Reason.PATTERN_MISMATCH, reason("{\"remote_addr\":\"10.0.0.1\"} trailing"));
        assertEquals(Reason.PATTERN_MISMATCH, reason("{remote_addr: 10.0.0.1}"));
        assertEquals(Reason.NO_STATUS, reason("{\"remote_addr\":\"10.0.0.1\",\"request\":\"GET / HTTP/1.1\"}"));
        assertEquals(Reason.BAD_STATUS, reason("{\"remote_addr\":\"10.0.0.1\",\"request\":\"GET / HTTP/1.1\",\"status\":\"20x\"}"));
        assertEquals(Reason.NO_IP, reason("{\"remote_addr\":\"10.0.0.1; rm -rf\",\"request\":\"GET /\",\"status\":\"200\"}"));
        assertEquals(Reason.NO_REQUEST, reason("{\"remote_addr\":\"10.0.0.1\",\"status\":\"200\"}"));
        assertEquals(Reason.BAD_BYTES, reason("{\"remote_addr\":\"10.0.0.1\",\"request\":\"GET /\",\"status\":\"200\",\"body_bytes_sent\":\"-5\"}"));
        assertEquals(Reason.PATTERN_MISMATCH, reason("{\"a\":" + "[".repeat(50) + "]".repeat(50) + ",\"remote_addr\":\"10.0.0.1\"}"));
        assertEquals(Reason.PATTERN_MISMATCH, reason("10.0.0.1 - - [27/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\""));
    }

    @Test
    void autoTakesJsonAndCombinedLinesSideBySide() {
        AccessLogParser auto = new AccessLogParser(LogFormat.AUTO);
        assertEquals(404, record(auto, NGINX_LINE).status());
        assertEquals(200, record(auto, "10.0.0.1 - - [27/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"x\"").status());
        assertInstanceOf(Malformed.class, new AccessLogParser(LogFormat.COMBINED).parse(NGINX_LINE));
    }

    @Test
    void simulatedTrafficReadsTheSameAsJsonAsItDoesAsCombined() throws Exception {
        AccessLogParser combined = new AccessLogParser(LogFormat.COMBINED);
        List<String> lines = new ArrayList<>();
        TrafficSimulator sim = new TrafficSimulator(5, 0.2, LogFormat.COMBINED);
        Instant t = Instant.parse("2025-11-27T00:00:00Z");
        for (int i = 0; i < 5_000; i++) lines.add(sim.next(t.plusMillis(50L * i)).line());
        for (String line : lines) {
            AccessRecord c = record(combined, line);
            AccessRecord j = record(json, toJson(c));
            assertEquals(List.of(c.ip(), c.epochSecond(), c.method(), c.path(), c.query(), c.protocol(), c.status(), c.bytes(), c.referrer(), c.userAgent()),
                    List.of(j.ip(), j.epochSecond(), j.method(), j.path(), j.query(), j.protocol(), j.status(), j.bytes(), j.referrer(), j.userAgent()), line);
        }
    }

    @Test
    void simulatorWritesNginxJsonThatReadsAsItsCombinedTwin() {
        TrafficSimulator asJson = new TrafficSimulator(21, 0.3, LogFormat.NGINX_JSON);
        TrafficSimulator asCombined = new TrafficSimulator(21, 0.3, LogFormat.COMBINED);
        AccessLogParser combined = new AccessLogParser(LogFormat.COMBINED);
        Instant t = Instant.parse("2025-11-27T00:00:00Z");
        for (int i = 0; i < 5_000; i++) {
            String j = asJson.next(t.plusMillis(50L * i)).line();
            AccessRecord c = record(combined, asCombined.next(t.plusMillis(50L * i)).line());
            AccessRecord r = record(json, j);
            assertTrue(j.startsWith("{\"time_local\":\"") && j.endsWith("\"}"), j);
            assertEquals(List.of(c.ip(), c.epochSecond(), c.method(), c.path(), c.query(), c.protocol(), c.status(), c.bytes(), c.referrer(), c.userAgent()),
                    List.of(r.ip(), r.epochSecond(), r.method(), r.path(), r.query(), r.protocol(), r.status(), r.bytes(), r.referrer(), r.userAgent()), j);
        }
    }

    /** The line nginx would write for {@code r} with escape=json. */
    static String toJson(AccessRecord r) throws Exception {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("time_local", r.time());
            g.writeStringField("remote_addr", r.ip());
            g.writeStringField("request", (r.method() + " " + r.target() + " " + r.protocol()).trim());
            g.writeStringField("status", Integer.toString(r.status()));
            g.writeStringField("body_bytes_sent", Long.toString(r.bytes()));
            g.writeStringField("http_referer", r.referrer());
            g.writeStringField("http_user_agent", r.userAgent());
            g.writeEndObject();
        }
        return w.toString();
    }
}
