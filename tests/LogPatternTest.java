package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import sentinel.ParseResult.Malformed;
import sentinel.ParseResult.Parsed;
import sentinel.ParseResult.Reason;

class LogPatternTest {
    /** Apache's vhost_combined: {@code %v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"}. */
    static final String VHOST_COMBINED = "(?<vhost>[^: ]+):(?<port>\\d+) (?<ip>\\S+) \\S+ \\S+ \\[(?<time>[^\\]]+)\\] \"(?<request>(?:[^\"\\\\]|\\\\.)*)\" "
            + "(?<status>\\d{3}) (?<bytes>\\S+) \"(?<referrer>(?:[^\"\\\\]|\\\\.)*)\" \"(?<agent>(?:[^\"\\\\]|\\\\.)*)\"";

    private static AccessRecord record(AccessLogParser p, String line) {
        ParseResult r = p.parse(line);
        assertInstanceOf(Parsed.class, r, () -> line + " -> " + r);
        return ((Parsed) r).record();
    }

    private static String error(String regex) {
        return assertThrows(IllegalArgumentException.class, () -> LogPattern.compile(regex)).getMessage();
    }

    @Test
    void syntaxErrorsAndMissingGroupsAreOneLineReasons() {
        String syntax = error("(?<ip>\\S+ (?<status>\\d+)");
        assertTrue(syntax.startsWith("not a valid regex: Unclosed group near index"), syntax);
        assertFalse(syntax.contains("\n"));
        String missing = error("(?<ip>\\S+) \"(?<request>[^\"]*)\"");
        assertTrue(missing.contains("no named group status"), missing);
        String typo = error("(?<ip>\\S+) \"(?<request>[^\"]*)\" (?<stauts>\\d{3})");
        assertTrue(typo.contains("'stauts': did you mean 'status'?"), typo);
        assertTrue(error("(?<ip>\\S+) (?<status>\\d{3})").contains("request (or path)"));
        assertTrue(error("   ").startsWith("expected a regex"));
    }

    @Test
    void onlyRealNamedGroupsCount() {
        String regex = "[(?<status>]\\(?<path>x\\) (?<ip>\\S+) (?<=a)(?<!b)(?<request>\\S+)";
        assertEquals(List.of("ip", "request"), List.copyOf(LogPattern.namedGroups(regex, Pattern.compile(regex))));
        assertTrue(error(regex).contains("no named group status"));
    }

    @Test
    void customApacheVhostFormatReadsLikeCombined() {
        AccessLogParser custom = new AccessLogParser(LogFormat.CUSTOM, LogPattern.compile(VHOST_COMBINED), 65_536);
        AccessLogParser combined = new AccessLogParser(LogFormat.COMBINED);
        TrafficSimulator sim = new TrafficSimulator(3, 0.2, LogFormat.COMBINED);
        Instant t = Instant.parse("2025-11-27T00:00:00Z");
        for (int i = 0; i < 3_000; i++) {
            String line = sim.next(t.plusMillis(50L * i)).line();
            AccessRecord c = record(combined, line);
            AccessRecord x = record(custom, "shop.example.org:443 " + line);
            assertEquals(List.of(c.ip(), c.epochSecond(), c.method(), c.path(), c.query(), c.protocol(), c.status(), c.bytes(), c.referrer(), c.userAgent()),
                    List.of(x.ip(), x.epochSecond(), x.method(), x.path(), x.query(), x.protocol(), x.status(), x.bytes(), x.referrer(), x.userAgent()), line);
        }
    }

    @Test
    void separateMethodAndPathGroupsAndIsoTime() {
        LogPattern p = LogPattern.compile("(?<time>\\S+) (?<ip>\\S+) (?<method>[A-Z]+) (?<path>\\S+) (?<status>\\d{3}) (?<bytes>\\d+|-)(?: (?<useragent>.*))?");
        AccessLogParser parser = new AccessLogParser(LogFormat.CUSTOM, p, 65_536);
        AccessRecord r = record(parser, "2025-11-27T10:00:00Z 10.1.2.3 GET /shop/item?id=7 200 - Mozilla/5.0 (X11)");
        assertEquals(Instant.parse("2025-11-27T10:00:00Z").getEpochSecond(), r.epochSecond());
        assertEquals(List.of("10.1.2.3", "GET", "/shop/item", "id=7", "", 200, 0L, "Mozilla/5.0 (X11)"),
                List.of(r.ip(), r.method(), r.path(), r.query(), r.protocol(), r.status(), r.bytes(), r.userAgent()));
        assertEquals("", record(parser, "2025-11-27T10:00:00Z 10.1.2.3 GET / 200 5").userAgent(), "an unmatched optional group is absent");
        assertEquals(Reason.PATTERN_MISMATCH, ((Malformed) parser.parse("not a line of this format")).reason());
        assertEquals(Reason.NO_IP, ((Malformed) parser.parse("2025-11-27T10:00:00Z <script> GET / 200 5")).reason());
    }

    @Test
    @Timeout(60) // a hang guard, not a speed goal: unbounded, this match would backtrack for hours
    void catastrophicBacktrackingIsCutShort() {
        AccessLogParser parser = new AccessLogParser(LogFormat.CUSTOM, LogPattern.compile("(?<ip>(?:.*a){12})b (?<status>\\d{3}) (?<request>.*)"), 65_536);
        ParseResult r = parser.parse("a".repeat(200) + "! 200 GET /");
        assertEquals(Reason.PATTERN_MISMATCH, ((Malformed) r).reason());
    }

    @Test
    void customFormatNeedsItsPatternAndOnlyIt() {
        assertThrows(IllegalArgumentException.class, () -> new AccessLogParser(LogFormat.CUSTOM, null, 100));
        assertThrows(IllegalArgumentException.class, () -> new AccessLogParser(LogFormat.COMBINED, LogPattern.compile(VHOST_COMBINED), 100));
    }
}
