// TrafficSimulatorTest.java -- checks the simulator's determinism, labels, rates, realism and the shipped training log.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import sentinel.TrafficSimulator.Event;
import sentinel.TrafficSimulator.Kind;

/** Tests of {@link TrafficSimulator}, parsing its output with the real {@link AccessLogParser}. */
class TrafficSimulatorTest {
    private static final Instant START = Instant.parse("2025-11-27T00:00:00Z");

    /** One event with the record the real parser made of its line. */
    private record Parsed(Event event, AccessRecord record) {}

    private static List<Event> run(long seed, double rate, LogFormat format, int n) {
        TrafficSimulator sim = new TrafficSimulator(seed, rate, format);
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(sim.next(START.plusMillis(50L * i)));
        return out;
    }

    private static List<Parsed> parsed(long seed, double rate, LogFormat format, int n) {
        AccessLogParser parser = new AccessLogParser(format);
        List<Parsed> out = new ArrayList<>(n);
        for (Event e : run(seed, rate, format, n)) {
            ParseResult r = parser.parse(e.line());
            if (!(r instanceof ParseResult.Parsed p)) throw new AssertionError(r + " for " + e.line());
            out.add(new Parsed(e, p.record()));
        }
        return out;
    }

    @Test
    void sameSeedAndTimesGiveSameLines() {
        assertEquals(run(7, 0.1, LogFormat.COMBINED, 5_000), run(7, 0.1, LogFormat.COMBINED, 5_000));
    }

    @Test
    void differentSeedsGiveDifferentLines() {
        List<Event> a = run(7, 0.1, LogFormat.COMBINED, 1_000);
        List<Event> b = run(8, 0.1, LogFormat.COMBINED, 1_000);
        long same = 0;
        for (int i = 0; i < a.size(); i++) if (a.get(i).line().equals(b.get(i).line())) same++;
        assertTrue(same < 50, same + " of 1000 lines identical across seeds");
    }

    @ParameterizedTest
    @CsvSource({"0.01, 0.006", "0.05, 0.015", "0.2, 0.03"})
    void anomalyShareIsCloseToTheRequestedRate(double rate, double tolerance) {
        long anomalies = run(11, rate, LogFormat.SEED, 20_000).stream().filter(Event::anomaly).count();
        assertEquals(rate, anomalies / 20_000.0, tolerance);
    }

    @Test
    void zeroRateGivesOnlyNormalLines() {
        for (Event e : run(3, 0.0, LogFormat.COMBINED, 20_000)) {
            assertFalse(e.anomaly(), e.line());
            assertEquals(TrafficSimulator.NORMAL, e.kind());
        }
    }

    @Test
    void everyKindOccursAndLabelsMatchKinds() {
        Set<Kind> seen = EnumSet.noneOf(Kind.class);
        for (Event e : run(5, 0.05, LogFormat.COMBINED, 20_000)) {
            if (e.anomaly()) {
                seen.add(Kind.valueOf(e.kind()));   // throws for a kind name that is not a Kind
            } else {
                assertEquals(TrafficSimulator.NORMAL, e.kind());
            }
        }
        assertEquals(EnumSet.allOf(Kind.class), seen);
    }

    @ParameterizedTest
    @EnumSource(value = LogFormat.class, names = {"COMBINED", "COMMON", "SEED"})
    void everyLineParsesWithItsTimeInEachFormat(LogFormat format) {
        List<Parsed> all = parsed(21, 0.2, format, 20_000);
        AccessLogParser auto = new AccessLogParser(LogFormat.AUTO);
        for (int i = 0; i < all.size(); i++) {
            Parsed p = all.get(i);
            long second = START.plusMillis(50L * i).getEpochSecond();
            assertEquals(format == LogFormat.SEED ? second - second % 86_400 : second, p.record().epochSecond(), p.event().line());
            assertTrue(auto.parse(p.event().line()) instanceof ParseResult.Parsed, p.event().line());
            assertTrue(p.record().status() >= 200 && p.record().status() < 600, p.event().line());
        }
        String first = all.get(0).event().line();
        assertTrue(first.contains(format == LogFormat.SEED ? "[27/Nov/2025] \"" : "[27/Nov/2025:00:00:00 +0000] \""), first);
    }

    @Test
    void homeIsServedWith200AndAFewHundredBytes() {
        long homes = 0;
        for (Parsed p : parsed(42, 0.0, LogFormat.SEED, 20_000)) {
            AccessRecord r = p.record();
            if (!r.path().equals("/home")) continue;
            assertEquals("GET", r.method(), p.event().line());
            if (r.status() == 304) continue;   // a crawler revalidating
            assertEquals(200, r.status(), p.event().line());
            assertTrue(r.bytes() >= 300 && r.bytes() <= 1_500, p.event().line());
            homes++;
        }
        assertTrue(homes > 500, "only " + homes + " GET /home 200 in 20,000 lines");
    }

    @Test
    void normalVisitorsUseBrowsersAndNeverTheCourseAttackerAddress() {
        Set<String> ips = new HashSet<>();
        for (Parsed p : parsed(42, 0.0, LogFormat.COMBINED, 20_000)) {
            ips.add(p.record().ip());
            assertFalse(p.record().userAgent().isEmpty(), p.event().line());
        }
        assertFalse(ips.contains("10.0.0.9"));
        assertTrue(ips.contains("10.0.0.1"));
        assertTrue(ips.stream().anyMatch(ip -> ip.contains(":")), "no IPv6 visitor");
        assertTrue(ips.size() > 200, ips.size() + " distinct addresses");
    }

    @Test
    void probesIncludeTheCourseExample() {
        boolean example = parsed(9, 0.1, LogFormat.SEED, 20_000).stream()
                .filter(p -> p.event().kind().equals(Kind.PROBE.name()))
                .map(Parsed::record)
                .anyMatch(r -> r.ip().equals("10.0.0.9") && r.target().equals("/admin") && r.status() == 500 && r.bytes() < 100);
        assertTrue(example, "no PROBE like 10.0.0.9 \"GET /admin HTTP/1.1\" 500 50");
    }

    @Test
    void attackersSendBurstsFromAddressesNoVisitorUses() {
        List<Parsed> all = parsed(13, 0.05, LogFormat.COMBINED, 20_000);
        Set<String> normalIps = new HashSet<>();
        for (Parsed p : all) if (!p.event().anomaly()) normalIps.add(p.record().ip());
        Map<String, Integer> longestRun = new HashMap<>();
        int run = 0;
        for (int i = 0; i < all.size(); i++) {
            Parsed p = all.get(i);
            Kind kind = p.event().anomaly() ? Kind.valueOf(p.event().kind()) : null;
            if (kind == null || kind == Kind.ERROR_BURST || kind == Kind.HUGE_RESPONSE) {
                run = 0;
                continue;
            }
            assertFalse(normalIps.contains(p.record().ip()), "attacker address used by a visitor: " + p.event().line());
            Parsed prev = i > 0 ? all.get(i - 1) : null;
            boolean continues = prev != null && prev.event().kind().equals(p.event().kind()) && prev.record().ip().equals(p.record().ip());
            run = continues ? run + 1 : 1;
            longestRun.merge(p.event().kind(), run, Math::max);
        }
        for (Kind k : List.of(Kind.PROBE, Kind.SQL_INJECTION, Kind.SCANNER, Kind.PATH_TRAVERSAL)) {
            assertTrue(longestRun.getOrDefault(k.name(), 0) >= 4, k + " never came in a burst: " + longestRun);
        }
    }

    @Test
    void noAnomalyIsAnOrdinaryRequest() {
        List<Parsed> all = parsed(17, 0.1, LogFormat.COMBINED, 20_000);
        Set<String> normal = new HashSet<>();
        for (Parsed p : all) if (!p.event().anomaly()) normal.add(request(p.record()));
        for (Parsed p : all) {
            if (p.event().anomaly()) assertFalse(normal.contains(request(p.record())), p.event().line());
        }
    }

    /** What the server was asked and what it answered, without who asked or when. */
    private static String request(AccessRecord r) {
        return r.method() + " " + r.target() + " " + r.status() + " " + r.bytes();
    }

    @Test
    void rejectsRatesOutsideZeroToOneAndTheAutoFormat() {
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            SentinelException e = assertThrows(SentinelException.class, () -> new TrafficSimulator(1, bad, LogFormat.COMBINED));
            assertEquals(ExitCodes.BAD_INPUT, e.status());
        }
        assertThrows(SentinelException.class, () -> new TrafficSimulator(1, 0.1, LogFormat.AUTO));
    }

    @Test
    void shippedTrainingLogIsWhatTheDocumentedRecipeRegenerates() throws Exception {
        Path shipped = TestSupport.repoRoot().resolve("logs/train_logs.txt");
        StringBuilder regenerated = new StringBuilder(5 << 20);
        long anomalies = TrafficSimulator.writeBatch(42, 0.0, LogFormat.COMBINED, START, 20.0, 20_000, regenerated);
        assertEquals(0, anomalies);
        String text = Files.readString(shipped, StandardCharsets.UTF_8);
        // Compare lengths first so a mismatch does not print two 4 MB strings.
        assertEquals(regenerated.length(), text.length(), "logs/train_logs.txt differs in size from the documented recipe");
        assertTrue(text.contentEquals(regenerated), "logs/train_logs.txt differs from the documented recipe");
        List<String> lines = text.lines().toList();
        assertEquals(20_000, lines.size());
        AccessLogParser parser = new AccessLogParser(LogFormat.COMBINED);
        long last = Long.MIN_VALUE;
        for (String line : lines) {
            long t = ((ParseResult.Parsed) parser.parse(line)).record().epochSecond();
            assertTrue(t >= last, "time goes backwards at " + line);
            last = t;
        }
        assertEquals(START.getEpochSecond() + 1_000, last, 60, "20,000 lines at ~20/s should span ~1000 s");
    }

    @Test
    void sameSeedGivesTheSameVisitorsWhateverTheAnomalyRate() {
        List<String> plain = run(4, 0.0, LogFormat.COMMON, 3_000).stream().map(Event::line).toList();
        List<String> mixed = run(4, 0.3, LogFormat.COMMON, 4_000).stream().filter(e -> !e.anomaly()).map(Event::line).toList();
        // The timestamps shift with inserted anomalies, so compare the requests only.
        int n = Math.min(plain.size(), mixed.size());
        for (int i = 0; i < n; i++) assertEquals(strip(plain.get(i)), strip(mixed.get(i)));
        assertNotEquals(0, n);
    }

    private static String strip(String line) {
        return line.substring(0, line.indexOf('[')) + line.substring(line.indexOf(']'));
    }
}
