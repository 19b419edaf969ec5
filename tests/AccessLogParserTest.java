// AccessLogParserTest.java -- AccessLogParser on documented, real-world, malformed, huge, fuzzed and real nginx lines.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import sentinel.ParseResult.Malformed;
import sentinel.ParseResult.Parsed;
import sentinel.ParseResult.Reason;

/** Behaviour of {@link AccessLogParser}: fields, timestamps, every failure reason, limits, fuzz and real logs. */
class AccessLogParserTest {
    private static final String APACHE_COMBINED = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
            + "\"GET /apache_pb.gif HTTP/1.0\" 200 2326 \"http://www.example.com/start.html\" "
            + "\"Mozilla/4.08 [en] (Win98; I ;Nav)\"";
    private static final String APACHE_COMMON =
            "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326";
    private static final String SEED = "10.0.0.1 - - [27/Nov/2025] \"GET /home HTTP/1.1\" 200 500";
    private static final String NGINX = "93.184.216.34 - - [24/Nov/2026:23:25:33 +0000] "
            + "\"GET /docs/search.html?q=forms&page=2 HTTP/1.1\" 200 3307 \"https://www.google.com/\" "
            + "\"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0\"";
    private static final Path FIXTURES = TestSupport.repoRoot().resolve("tests/fixtures");

    private final AccessLogParser auto = new AccessLogParser(LogFormat.AUTO);

    private static AccessRecord parsed(AccessLogParser parser, String line) {
        ParseResult r = parser.parseUnchecked(line);
        return assertInstanceOf(Parsed.class, r, () -> "expected Parsed for " + line + " but got " + r).record();
    }

    private AccessRecord parsed(String line) {
        return parsed(auto, line);
    }

    private Reason reason(String line) {
        ParseResult r = auto.parseUnchecked(line);
        return assertInstanceOf(Malformed.class, r, () -> "expected Malformed for " + line).reason();
    }

    @Test
    void parsesApacheDocumentationCombinedExample() {
        AccessRecord r = parsed(APACHE_COMBINED);
        assertEquals(new AccessRecord("127.0.0.1", 971_211_336L, "10/Oct/2000:13:55:36 -0700", "GET", "/apache_pb.gif",
                "", "HTTP/1.0", 200, 2326, "http://www.example.com/start.html", "Mozilla/4.08 [en] (Win98; I ;Nav)",
                APACHE_COMBINED), r);
    }

    @Test
    void parsesApacheDocumentationCommonExampleWithEmptyReferrerAndAgent() {
        AccessRecord r = parsed(APACHE_COMMON);
        assertEquals(new AccessRecord("127.0.0.1", 971_211_336L, "10/Oct/2000:13:55:36 -0700", "GET", "/apache_pb.gif",
                "", "HTTP/1.0", 200, 2326, "", "", APACHE_COMMON), r);
    }

    @Test
    void parsesNginxCombinedLineSplittingPathFromQuery() {
        AccessRecord r = parsed(NGINX);
        assertEquals("93.184.216.34", r.ip());
        assertEquals(1_795_562_733L, r.epochSecond());
        assertEquals("/docs/search.html", r.path());
        assertEquals("q=forms&page=2", r.query());
        assertEquals("/docs/search.html?q=forms&page=2", r.target());
        assertEquals("https://www.google.com/", r.referrer());
        assertTrue(r.userAgent().startsWith("Mozilla/5.0 (Windows NT 10.0;"));
    }

    @Test
    void parsesSeedShortFormAtMidnightUtc() {
        AccessRecord r = parsed(SEED);
        assertEquals(new AccessRecord("10.0.0.1", 1_764_201_600L, "27/Nov/2025", "GET", "/home", "", "HTTP/1.1", 200,
                500, "", "", SEED), r);
    }

    @Test
    void appliesTimezoneOffsetsExactlyAcrossDayAndYearBoundaries() {
        assertEquals(1_767_227_400L, AccessLogParser.epochSecond("31/Dec/2025:23:30:00 -0100"));
        assertEquals(1_767_223_800L, AccessLogParser.epochSecond("01/Jan/2026:05:00:00 +0530"));
        assertEquals(1_709_157_600L, AccessLogParser.epochSecond("29/Feb/2024:12:00:00 +1400"));
        assertEquals(4_107_542_400L, AccessLogParser.epochSecond("01/Mar/2100:00:00:00 +0000"));
        assertEquals(1_795_562_733L, AccessLogParser.epochSecond("24/Nov/2026:23:25:33"));
        String line = "10.0.0.1 - - [31/Dec/2025:23:30:00 -0100] \"GET / HTTP/1.1\" 200 1";
        assertEquals(1_767_227_400L, parsed(line).epochSecond());
    }

    @Test
    void keepsUnusableTimestampsAsTextWithEpochMinusOne() {
        for (String t : List.of("30/Feb/2024:12:00:00 +0000", "24/Foo/2026:23:25:33 +0000",
                "24/Nov/2026:24:00:00 +0000", "24/Nov/2026:23:25:33 +2500", "24/Nov/2026:23:25:33 0000", "yesterday", "", "01/Jan/1969")) {
            AccessRecord r = parsed("10.0.0.1 - - [" + t + "] \"GET / HTTP/1.1\" 200 1");
            assertEquals(-1, r.epochSecond(), t);
            assertEquals(t, r.time());
        }
    }

    @Test
    void acceptsIpv6AndHostnameClientsAndApacheUser() {
        assertEquals("2001:db8::1", parsed("2001:db8::1 - - [27/Nov/2025] \"GET / HTTP/1.1\" 200 1").ip());
        assertEquals("::1", parsed("::1 - - [27/Nov/2025] \"GET / HTTP/1.1\" 200 1").ip());
        assertEquals("fe80::1%eth0", parsed("fe80::1%eth0 - - [27/Nov/2025] \"GET / HTTP/1.1\" 200 1").ip());
        assertEquals("crawl-66-249-66-1.googlebot.com",
                parsed("crawl-66-249-66-1.googlebot.com - bob [27/Nov/2025] \"GET / HTTP/1.1\" 200 1").ip());
    }

    @Test
    void keepsApacheAndNginxQuoteEscapesInsideFields() {
        AccessRecord apache = parsed("1.2.3.4 - - [27/Nov/2025:10:00:00 +0000] \"GET /a\\\"b?x=\\\"1 HTTP/1.1\" 404 0 "
                + "\"-\" \"Mozilla/5.0 \\\"zgrab\\\" \\\\\"");
        assertEquals("/a\\\"b", apache.path());
        assertEquals("x=\\\"1", apache.query());
        assertEquals("Mozilla/5.0 \\\"zgrab\\\" \\\\", apache.userAgent());
        AccessRecord nginx = parsed("1.2.3.4 - - [27/Nov/2025:10:00:00 +0000] \"GET /?q=\\x22x\\x22 HTTP/1.1\" 200 9 "
                + "\"-\" \"() { :; }; /bin/bash -c \\x22id\\x22\"");
        assertEquals("q=\\x22x\\x22", nginx.query());
        assertEquals("() { :; }; /bin/bash -c \\x22id\\x22", nginx.userAgent());
    }

    @Test
    void parsesTlsHandshakeJunkWithTheJunkAsMethodAndEmptyTarget() {
        AccessRecord r = parsed("198.51.100.23 - - [24/Nov/2026:23:40:03 +0000] "
                + "\"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03 junk\" 400 157 \"-\" \"-\"");
        assertEquals("\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03", r.method());
        assertEquals(List.of("", "", ""), List.of(r.path(), r.query(), r.protocol()));
        assertEquals(400, r.status());
    }

    @Test
    void parsesDashRequestAndDashBytesAsEmptyAndZero() {
        AccessRecord r = parsed("198.51.100.24 - - [24/Nov/2026:23:40:04 +0000] \"-\" 400 - \"-\" \"-\"");
        assertEquals(List.of("", "", "", "", "", ""),
                List.of(r.method(), r.path(), r.query(), r.protocol(), r.referrer(), r.userAgent()));
        assertEquals(400, r.status());
        assertEquals(0, r.bytes());
    }

    @Test
    void splitsTargetsWithSpacesAndRequestsWithoutProtocol() {
        AccessRecord spaced = parsed("1.2.3.4 - - [27/Nov/2025] \"GET /search?q=' --&page=1 HTTP/1.1\" 400 157");
        assertEquals("/search", spaced.path());
        assertEquals("q=' --&page=1", spaced.query());
        assertEquals("HTTP/1.1", spaced.protocol());
        AccessRecord http09 = parsed("1.2.3.4 - - [27/Nov/2025] \"GET /a?b?c\" 400 157");
        assertEquals(List.of("GET", "/a", "b?c", ""),
                List.of(http09.method(), http09.path(), http09.query(), http09.protocol()));
    }

    @Test
    void toleratesExtraFieldsAfterUserAgentAndCrLf() {
        AccessRecord r = parsed(NGINX + " \"203.0.113.9, 10.0.0.2\" rt=0.004\r\n");
        assertEquals(NGINX + " \"203.0.113.9, 10.0.0.2\" rt=0.004", r.raw());
        assertTrue(r.userAgent().endsWith("Firefox/133.0"));
    }

    @Test
    void keepsUndecodableBytesAsReplacementCharacters() {
        byte[] latin1Agent = "1.2.3.4 - - [27/Nov/2025] \"GET / HTTP/1.1\" 200 1 \"-\" \"M\u00fcller\"" // ü
                .getBytes(StandardCharsets.ISO_8859_1);
        AccessRecord r = parsed(new String(latin1Agent, StandardCharsets.UTF_8));
        assertEquals("M\uFFFDller", r.userAgent());
    }

    @Test
    void explicitFormatsRejectTheOtherShapeAsPatternMismatch() {
        AccessLogParser combined = new AccessLogParser(LogFormat.COMBINED);
        AccessLogParser common = new AccessLogParser(LogFormat.COMMON);
        AccessLogParser seed = new AccessLogParser(LogFormat.SEED);
        assertEquals(LogFormat.COMBINED, combined.format());
        parsed(combined, APACHE_COMBINED);
        parsed(common, APACHE_COMMON);
        parsed(seed, SEED);
        assertEquals(Reason.PATTERN_MISMATCH, ((Malformed) combined.parse(APACHE_COMMON)).reason());
        assertEquals(Reason.PATTERN_MISMATCH, ((Malformed) common.parse(APACHE_COMBINED)).reason());
        assertEquals(Reason.PATTERN_MISMATCH, ((Malformed) seed.parse(NGINX)).reason());
    }

    @Test
    void rejectsConstructorArgumentsThatCannotWork() {
        assertThrows(NullPointerException.class, () -> new AccessLogParser(null));
        assertThrows(IllegalArgumentException.class, () -> new AccessLogParser(LogFormat.AUTO, 0));
    }

    @Test
    void parsesEveryRealWorldFixtureLine() throws IOException {
        List<String> lines = Files.readAllLines(FIXTURES.resolve("parser-wild.log"));
        assertEquals(16, lines.size());
        for (String line : lines) {
            AccessRecord r = parsed(line);
            assertTrue(r.status() >= 200 && r.status() <= 599, line);
        }
        assertEquals("PRI", parsed(lines.get(4)).method());
        assertEquals(1_795_563_608L, parsed(lines.get(7)).epochSecond());
    }

    @Test
    void reportsTheFixtureReasonForEachMalformedLine() throws IOException {
        List<String> rows = Files.readAllLines(FIXTURES.resolve("parser-malformed.txt"));
        assertEquals(23, rows.size());
        for (String row : rows) {
            int tab = row.indexOf('\t');
            assertEquals(Reason.valueOf(row.substring(0, tab)), reason(row.substring(tab + 1)), row);
        }
    }

    @Test
    void reportsEmptyForBlankLinesAndBinaryForControlCharacters() {
        for (String blank : new String[] {null, "", "   ", " \t ", "\r\n"}) {
            assertEquals(Reason.EMPTY, ((Malformed) auto.parse(blank)).reason(), String.valueOf(blank));
        }
        assertEquals(Reason.BINARY, reason(APACHE_COMBINED.replace("Win98", "Win\u000098")));
        assertEquals(Reason.BINARY, reason("\u0000\u0000\u0000" + APACHE_COMMON));
        assertEquals(Reason.BINARY, reason(APACHE_COMMON + "\u001b[31m"));
        assertEquals(Reason.BINARY, reason(APACHE_COMMON.replace("GET", "G\u009bT")));
        assertEquals(Reason.BINARY, reason("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc"));
    }

    @Test
    void rejectsAMegabyteLineAsTooLongUnlessTheLimitAllowsIt() {
        String huge = "1.2.3.4 - - [27/Nov/2025] \"GET /" + "A".repeat(1 << 20) + " HTTP/1.1\" 200 1";
        Malformed m = assertInstanceOf(Malformed.class, auto.parse(huge));
        assertEquals(Reason.TOO_LONG, m.reason());
        assertEquals("1.2.3.4 - - [27/Nov/2025] \"GET /AAA", m.excerpt().substring(0, 35));
        AccessRecord r = parsed(new AccessLogParser(LogFormat.AUTO, 2 << 20), huge);
        assertEquals(1 + (1 << 20), r.path().length());
    }

    @Test
    void excerptsAreShortAndPrintableAscii() {
        Malformed m = assertInstanceOf(Malformed.class, auto.parse("\u001b]0;pwned\u0007\u202e" + "x".repeat(500)));
        assertEquals(Reason.BINARY, m.reason());
        assertEquals(80, m.excerpt().length());
        assertTrue(m.excerpt().startsWith("?]0;pwned??xxx") && m.excerpt().endsWith("..."), m.excerpt());
    }

    @Test
    void neverThrowsOrReturnsNullOnTenThousandSeededRandomAndMutatedLines() {
        Random rnd = new Random(20251127);
        List<String> seeds = List.of(APACHE_COMBINED, APACHE_COMMON, SEED, NGINX);
        for (int i = 0; i < 10_000; i++) {
            String line = i % 2 == 0 ? randomLine(rnd) : mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            ParseResult r = auto.parseUnchecked(line);
            assertNotNull(r, line);
            if (r instanceof Parsed p) {
                AccessRecord a = p.record();
                for (Object f : List.of(a.ip(), a.time(), a.method(), a.path(), a.query(), a.protocol(), a.referrer(),
                        a.userAgent(), a.raw())) {
                    assertNotNull(f, line);
                }
            } else {
                String ex = ((Malformed) r).excerpt();
                assertTrue(ex.length() <= 80 && ex.chars().allMatch(c -> c >= 0x20 && c < 0x7f), ex);
            }
        }
    }

    private static String randomLine(Random rnd) {
        byte[] b = new byte[rnd.nextInt(300)];
        rnd.nextBytes(b);
        return new String(b, rnd.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    private static String mutate(String line, Random rnd) {
        StringBuilder sb = new StringBuilder(line);
        String alphabet = "\"\\[] -?:/0x\u0000\uFFFD";
        for (int k = 1 + rnd.nextInt(4); k > 0 && sb.length() > 0; k--) {
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                case 2 -> sb.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                default -> sb.setLength(at);
            }
        }
        return sb.toString();
    }

    @Test
    void sharedInstanceGivesEveryThreadTheRightTimestamp() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int s = 0; s < 60; s++) {
            lines.add(String.format("10.0.0.%d - - [24/Nov/2026:23:25:%02d +0000] \"GET / HTTP/1.1\" 200 1", s, s));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int offset = t * 7;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 200_000; i++) {
                        int s = (i + offset) % 60;
                        assertEquals(1_795_562_700L + s, parsed(auto, lines.get(s)).epochSecond());
                    }
                    return 0;
                }));
            }
            for (Future<Integer> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void parsesEveryLineOfTheRealNginxLogs() throws IOException {
        Path dir = TestSupport.nginxReal();
        Assumptions.assumeTrue(dir != null, "skipped: ../shared/data/nginx-real is absent");
        Map<String, Integer> malformed = new TreeMap<>();
        int total = 0;
        for (String name : List.of("train_access.log", "dev_access.log")) {
            try (BufferedReader in = Files.newBufferedReader(dir.resolve(name), StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine(), total++) {
                    if (auto.parseUnchecked(line) instanceof Malformed m) {
                        malformed.merge(m.reason() + " " + m.excerpt(), 1, Integer::sum);
                    }
                }
            }
        }
        System.out.printf("real nginx lines: %d, malformed: %s%n", total, malformed);
        assertEquals(84_937, total);
        assertEquals(Map.of(), malformed);
    }
}
