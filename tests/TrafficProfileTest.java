package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrafficProfileTest {
    private static AccessRecord request(String path, String query, String agent) {
        return new AccessRecord("10.0.0.1", 0, "", "GET", path, query, "HTTP/1.1", 200, 100, "", agent, "");
    }

    private static long[] keys(String path, String query) {
        long[] k = new long[3];
        TrafficProfile.keys(path, query, k);
        return k;
    }

    @Test
    void sketchNeverUnderCountsEvenWhenCrowded() {
        Map<String, Integer> exact = new HashMap<>();
        // as many distinct paths as counters in a row: collisions are certain
        TrafficProfile crowded = fill(TrafficProfile.NARROW * 4, 300_000, exact);
        for (Map.Entry<String, Integer> e : exact.entrySet()) {
            int estimate = crowded.pathCount(keys(e.getKey(), "")[TrafficProfile.PATH], false);
            assertTrue(estimate >= e.getValue(), e.getKey() + ": " + estimate + " < " + e.getValue());
        }
        assertEquals(300_000, crowded.lines());
    }

    @Test
    void countsStayExactAtTheDocumentedLoad() {
        Map<String, Integer> exact = new HashMap<>();
        TrafficProfile p = fill(80_000, 400_000, exact);
        int wrong = 0;
        for (Map.Entry<String, Integer> e : exact.entrySet()) {
            if (p.pathCount(keys(e.getKey(), "")[TrafficProfile.PATH], false) != e.getValue()) wrong++;
        }
        assertTrue(wrong < exact.size() / 100, wrong + " of " + exact.size() + " counts are off");
    }

    /** {@code n} in base 26 written with letters: digits would be folded together. */
    private static String letters(int n) {
        StringBuilder sb = new StringBuilder();
        do {
            sb.append((char) ('a' + n % 26));
            n /= 26;
        } while (n > 0);
        return sb.toString();
    }

    /** A profile of {@code lines} requests to random paths out of {@code distinct}, counted exactly into {@code exact} too. */
    private static TrafficProfile fill(int distinct, int lines, Map<String, Integer> exact) {
        TrafficProfile p = new TrafficProfile();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < lines; i++) {
            String path = "/p/" + letters(random.nextInt(distinct));
            exact.merge(path, 1, Integer::sum);
            p.add(request(path, "", "agent"));
        }
        return p;
    }

    @Test
    void leaveOneOutMakesATrainingSingletonLookNeverSeen() {
        TrafficProfile p = new TrafficProfile();
        p.add(request("/once", "", "Once/1.0"));
        for (int i = 0; i < 9; i++) p.add(request("/docs/", "", "Mozilla/5.0"));
        long once = keys("/once", "")[TrafficProfile.PATH], docs = keys("/docs/", "")[TrafficProfile.PATH];
        assertEquals(1, p.pathCount(once, false));
        assertEquals(0, p.pathCount(once, true));
        assertEquals(p.pathCount(keys("/never", "")[TrafficProfile.PATH], false), p.pathCount(once, true));
        assertEquals(8, p.pathCount(docs, true));
        assertEquals(0, p.agentCount(TrafficProfile.agentKey("Once/1.0"), true));
        assertEquals(0, p.rarity(10), 1e-12, "seen on every line: no surprise");
        assertEquals(Math.log(11) / Math.log(2), p.rarity(0), 1e-12);
    }

    @Test
    void keysFoldCaseAndDigitRunsAndSplitSectionPathAndTarget() {
        assertArrayEquals(keys("/Item/17", "id=3"), keys("/item/123", "id=45"));
        long[] a = keys("/docs/intro/index.html", "");
        assertEquals(a[TrafficProfile.SECTION], keys("/docs/other.html", "")[TrafficProfile.SECTION]);
        assertEquals(a[TrafficProfile.SECTION], keys("/docs", "")[TrafficProfile.SECTION], "/docs and /docs/ are one section");
        assertNotEquals(a[TrafficProfile.PATH], keys("/docs/other.html", "")[TrafficProfile.PATH]);
        long[] q = keys("/search", "q=a");
        assertEquals(keys("/search", "")[TrafficProfile.PATH], q[TrafficProfile.PATH], "the path key ignores the query");
        assertNotEquals(keys("/search", "q=b")[TrafficProfile.TARGET], q[TrafficProfile.TARGET]);
        assertEquals(TrafficProfile.agentKey("Chrome/131.0.0.0"), TrafficProfile.agentKey("chrome/142.1.2.3"));
    }

    @Test
    void countsAreKeptPerKind() {
        TrafficProfile p = new TrafficProfile();
        p.add(request("/a/b", "x=1", "UA"));
        long[] k = keys("/a/b", "x=1");
        assertEquals(1, p.pathCount(k[TrafficProfile.PATH], false));
        assertEquals(1, p.sectionCount(k[TrafficProfile.SECTION], false));
        assertEquals(1, p.targetCount(k[TrafficProfile.TARGET], false));
        assertEquals(0, p.targetCount(keys("/a/b", "")[TrafficProfile.TARGET], false), "the bare path is another target");
        assertEquals(1, p.sectionCount(keys("/a/c", "")[TrafficProfile.SECTION], false));
    }
}
