// AlertGrouperTest.java -- storm rules: first of a burst at once, the rest summarised, repeats held back.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertGrouperTest {
    static final Instant T0 = Instant.parse("2025-11-27T10:00:00Z");

    static Verdict anomaly(String ip, String path, double score) {
        AccessRecord r = new AccessRecord(ip, 0, "t", "GET", path, "", "HTTP/1.1", 404, 1, "", "ua", "raw");
        return new Verdict(1, "raw", r, null, score, 0.6, true, new double[0], List.of(), null);
    }

    static Instant at(double seconds) {
        return T0.plusMillis((long) (seconds * 1000));
    }

    @Test
    void firstOfABurstIsSentAndTheRestAreGroupedIntoOneSummary() {
        AlertGrouper g = new AlertGrouper(Duration.ofSeconds(30), Duration.ofMinutes(5));
        assertEquals(AlertGrouper.Decision.SEND, g.admit(anomaly("1.1.1.1", "/a", 0.7), at(0)));
        for (int i = 1; i <= 37; i++) {
            assertEquals(AlertGrouper.Decision.GROUPED, g.admit(anomaly("2.2.2." + (i % 4), "/p" + (i % 3), 0.6 + i / 1000.0), at(i * 0.5)));
        }
        assertEquals(List.of(), g.takeDue(at(29.9)), "nothing due before the window ends");
        List<AlertSummary> due = g.takeDue(at(30));
        assertEquals(1, due.size());
        AlertSummary s = due.get(0);
        assertEquals(37, s.count());
        assertEquals(4, s.clients());
        assertEquals(new AlertSummary.Tally("/p1", 13), s.topPaths().get(0));
        assertEquals(0.637, s.maxScore(), 1e-9);
        assertEquals(at(0.5), s.first());
        assertEquals(at(18.5), s.last());
        assertEquals(List.of(), g.takeDue(at(31)), "a summary is handed out once");
    }

    @Test
    void anomalyAfterTheWindowStartsANewBurst() {
        AlertGrouper g = new AlertGrouper(Duration.ofSeconds(30), Duration.ofMinutes(5));
        g.admit(anomaly("1.1.1.1", "/a", 0.7), at(0));
        g.admit(anomaly("1.1.1.2", "/b", 0.7), at(10));
        assertEquals(AlertGrouper.Decision.SEND, g.admit(anomaly("1.1.1.3", "/c", 0.7), at(31)));
        assertEquals(1, g.takeDue(at(31)).size(), "the ended window's summary is ready when the next burst starts");
        assertEquals(at(61), g.nextDue());
    }

    @Test
    void sameClientAndPathIsNotRealertedWithinTheRealertTime() {
        AlertGrouper g = new AlertGrouper(Duration.ofSeconds(30), Duration.ofMinutes(5));
        g.admit(anomaly("1.1.1.1", "/login", 0.7), at(0));
        assertEquals(AlertGrouper.Decision.SUPPRESSED, g.admit(anomaly("1.1.1.1", "/login", 0.9), at(40)));
        assertEquals(AlertGrouper.Decision.SUPPRESSED, g.admit(anomaly("1.1.1.1", "/login", 0.9), at(299)));
        assertEquals(AlertGrouper.Decision.SEND, g.admit(anomaly("1.1.1.2", "/login", 0.9), at(299.5)), "another client is new");
        assertEquals(AlertGrouper.Decision.SEND, g.admit(anomaly("1.1.1.1", "/login", 0.9), at(400)));
    }

    @Test
    void zeroWindowSendsEveryNewClientAndPath() {
        AlertGrouper g = new AlertGrouper(Duration.ZERO, Duration.ZERO);
        for (int i = 0; i < 5; i++) assertEquals(AlertGrouper.Decision.SEND, g.admit(anomaly("1.1.1.1", "/a", 0.7), at(i)));
        assertNull(g.nextDue());
    }

    @Test
    void takeAllFlushesAnOpenWindowAtShutdown() {
        AlertGrouper g = new AlertGrouper(Duration.ofSeconds(30), Duration.ofMinutes(5));
        g.admit(anomaly("1.1.1.1", "/a", 0.7), at(0));
        g.admit(anomaly("1.1.1.2", "/b", 0.7), at(1));
        assertEquals(List.of(), g.takeDue(at(2)));
        List<AlertSummary> all = g.takeAll();
        assertEquals(1, all.size());
        assertEquals(1, all.get(0).count());
        assertEquals(List.of(), g.takeAll());
    }

    @Test
    void spoofedClientStormKeepsCountingWithBoundedMemory() {
        AlertGrouper g = new AlertGrouper(Duration.ofSeconds(30), Duration.ofMinutes(5));
        g.admit(anomaly("0.0.0.0", "/", 0.7), at(0));
        int n = AlertGrouper.MAX_TALLY * 3;
        for (int i = 0; i < n; i++) g.admit(anomaly("10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), "/x" + i, 0.7), at(1));
        AlertSummary s = g.takeAll().get(0);
        assertEquals(n, s.count(), "every anomaly is counted");
        assertEquals(AlertGrouper.MAX_TALLY, s.clients());
        assertTrue(s.clientsCapped());
        assertTrue(s.topPaths().size() <= SlackMessage.MAX_TALLIES);
    }
}
