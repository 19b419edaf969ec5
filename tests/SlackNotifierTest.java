// SlackNotifierTest.java -- the background notifier against a real loopback webhook: storms, hangs, 404s, shutdown.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SlackNotifierTest {
    static final SlackDelivery.Tuning FAST = new SlackDelivery.Tuning(Duration.ofMillis(20), Duration.ofMillis(50),
            Duration.ofMillis(200), 3, Duration.ofSeconds(2), 42);

    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    final List<String> outputs = new ArrayList<>();
    FakeSlack slack;

    static AlertSettings settings(String url, Duration window, Duration timeout, int maxQueue) {
        return new AlertSettings(url, true, window, Duration.ofMinutes(5), 0.0, timeout, maxQueue);
    }

    SlackNotifier notifier(AlertSettings s) {
        return new SlackNotifier(s, "web-1", "access.log", errors::add, FAST, Clock.systemUTC());
    }

    static Verdict anomaly(String ip, String path, double score) {
        AccessRecord r = new AccessRecord(ip, 0, "27/Nov/2025:10:00:00 +0000", "GET", path, "", "HTTP/1.1", 404, 10, "", "ua", "raw");
        return new Verdict(1, "raw", r, null, score, 0.6, true, new double[0], List.of(), null);
    }

    static String text(FakeSlack.Request r) throws IOException {
        return (String) ((Map<?, ?>) FakeSlack.parse(r.body())).get("text");
    }

    @AfterEach
    void webhookNeverShows() {
        if (slack != null) slack.close();
        List<String> all = new ArrayList<>(errors);
        all.addAll(outputs);
        for (String s : all) assertFalse(s.contains(FakeSlack.SECRET) || s.contains("B0SENTINEL"), "webhook leaked: " + s);
    }

    @Test
    void placeholderMissingOrDisabledMeansOffAndSaysWhy() {
        for (AlertSettings s : List.of(
                settings("https://hooks.slack.com/services/YOUR/WEBHOOK/URL", Duration.ZERO, Duration.ofSeconds(1), 10),
                settings(null, Duration.ZERO, Duration.ofSeconds(1), 10),
                new AlertSettings("http://127.0.0.1:9/services/T/B/" + FakeSlack.SECRET, false, Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(1), 10))) {
            errors.clear();
            try (SlackNotifier n = notifier(s)) {
                assertFalse(n.active());
                n.offer(anomaly("1.1.1.1", "/a", 0.9));
                assertEquals(new SlackNotifier.Stats(0, 0, 0, 0, 0), n.stats());
                SlackNotifier.Result r = n.sendNow(SlackMessage.test("x", "h"));
                assertFalse(r.accepted());
                assertTrue(r.reason().startsWith("alerts are off: "), r.reason());
                assertTrue(n.describe().startsWith("Slack alerts off: "), n.describe());
                outputs.add(n.describe());
            }
            assertEquals(List.of(), errors, "no network, no noise");
        }
    }

    @Test
    void malformedUrlIsBadInputThatKeepsTheSecret() {
        for (String url : List.of("ftp://hooks.example/services/T/B/" + FakeSlack.SECRET, "hooks.example/" + FakeSlack.SECRET,
                "https://hooks example/" + FakeSlack.SECRET)) {
            SentinelException e = assertThrows(SentinelException.class, () -> notifier(settings(url, Duration.ZERO, Duration.ofSeconds(1), 1)));
            assertEquals(ExitCodes.BAD_INPUT, e.status());
            assertFalse(e.getMessage().contains(FakeSlack.SECRET), e.getMessage());
            assertEquals(null, e.getCause(), "a cause would quote the URL");
        }
    }

    @Test
    void plainHttpToANonLoopbackHostWarnsOnceAndLoopbackDoesNot() {
        try (SlackNotifier n = notifier(settings("http://chat.example.org/hooks/" + FakeSlack.SECRET, Duration.ZERO, Duration.ofSeconds(1), 1))) {
            assertTrue(n.active());
            outputs.add(n.describe());
        }
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("slack: warning: the webhook http://chat.example.org/…") && errors.get(0).contains("plain http://"), errors.get(0));
        errors.clear();
        try (SlackNotifier n = notifier(settings("http://127.0.0.1:9/hooks/" + FakeSlack.SECRET, Duration.ZERO, Duration.ofSeconds(1), 1))) {
            assertTrue(n.active());
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void hostileLineArrivesEscapedAtTheWebhook() throws Exception {
        slack = FakeSlack.start();
        try (SlackNotifier n = notifier(settings(slack.url(), Duration.ofSeconds(30), Duration.ofSeconds(2), 10))) {
            n.offer(SlackMessageTest.hostileVerdict());
        }
        List<FakeSlack.Request> rs = slack.requests();
        assertEquals(1, rs.size());
        String body = rs.get(0).body();
        for (String s : SlackMessageTest.strings(FakeSlack.parse(body))) assertFalse(s.contains("<") || s.contains(">"), s);
        assertTrue(body.contains("&lt;!channel&gt;") && body.contains("&lt;!here&gt;") && body.contains("&lt;http://evil|click&gt;"), body);
        assertEquals(1, slackAccepted(rs));
    }

    private static long slackAccepted(List<FakeSlack.Request> rs) {
        return rs.stream().filter(r -> FakeSlack.validate(r.body()).status() == 200).count();
    }

    @Test
    void stormOfAThousandAnomaliesBecomesAHandfulOfMessagesWithNoneLostFromTheCounts() throws Exception {
        slack = FakeSlack.start();
        Random rnd = new Random(1);
        SlackNotifier.Stats st;
        long window = 1_000, stormMs;
        try (SlackNotifier n = notifier(settings(slack.url(), Duration.ofMillis(window), Duration.ofSeconds(2), 100))) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                n.offer(anomaly("198.51.100." + rnd.nextInt(40), "/p" + rnd.nextInt(30), 0.6 + rnd.nextDouble() / 3));
                if (i % 10 == 0) Thread.sleep(15); // a storm of about 1.5 s
            }
            stormMs = (System.nanoTime() - t0) / 1_000_000;
            n.close();
            st = n.stats();
            outputs.add(st.toString());
        }
        List<FakeSlack.Request> rs = slack.requests();
        // at most one alert and one summary per window the storm touched; a slow machine stretches the storm
        long bound = 2 * (stormMs / window + 1);
        assertTrue(rs.size() >= 2 && rs.size() <= bound, rs.size() + " messages for a storm of " + stormMs + " ms");
        long singles = 0, summarised = 0;
        Pattern more = Pattern.compile("^📦 (\\d+) more anomal");
        for (FakeSlack.Request r : rs) {
            String t = text(r);
            Matcher m = more.matcher(t);
            if (m.find()) summarised += Long.parseLong(m.group(1));
            else if (t.startsWith("🚨 Anomaly on web-1")) singles++;
        }
        assertEquals(rs.size(), st.sent());
        assertEquals(0, st.failed());
        assertEquals(summarised, st.grouped(), "the summaries' counts add up to the grouped count");
        assertEquals(1_000, singles + st.grouped() + st.suppressed() + st.dropped(), st.toString());
        assertTrue(st.grouped() > 900, st.toString());
        assertEquals(rs.size(), slackAccepted(rs));
    }

    @Test
    void sameClientAndPathIsSuppressedAndOkOrWeakVerdictsAreIgnored() throws Exception {
        slack = FakeSlack.start();
        try (SlackNotifier n = new SlackNotifier(new AlertSettings(slack.url(), true, Duration.ZERO, Duration.ofMinutes(5), 0.7,
                Duration.ofSeconds(2), 10), "web-1", "access.log", errors::add, FAST, Clock.systemUTC())) {
            for (int i = 0; i < 10; i++) n.offer(anomaly("1.1.1.1", "/login", 0.9));
            n.offer(anomaly("2.2.2.2", "/x", 0.65));
            AccessRecord r = anomaly("3.3.3.3", "/ok", 0.9).record();
            n.offer(new Verdict(2, "raw", r, null, 0.3, 0.6, false, new double[0], List.of(), null));
            n.offer(new Verdict(3, "junk", null, ParseResult.Reason.BINARY, Double.NaN, 0.6, false, null, List.of(), null));
            n.offer(null);
            n.close();
            assertEquals(new SlackNotifier.Stats(1, 0, 9, 0, 0), n.stats());
        }
        assertEquals(1, slack.requests().size());
    }

    @Test
    void offerNeverWaitsForAHangingWebhook() throws Exception {
        slack = FakeSlack.start().answerAlways(FakeSlack.Reply.slow(Duration.ofSeconds(30)));
        int count = 20_000;
        long worstNanos = 0;
        SlackNotifier.Stats st;
        long closeMs;
        try (SlackNotifier n = notifier(settings(slack.url(), Duration.ZERO, Duration.ofMillis(500), 5))) {
            for (int i = 0; i < count; i++) {
                Verdict v = anomaly("10.0." + (i >> 8) + "." + (i & 255), "/p", 0.9);
                long t0 = System.nanoTime();
                n.offer(v);
                worstNanos = Math.max(worstNanos, System.nanoTime() - t0);
            }
            long t0 = System.nanoTime();
            n.close();
            closeMs = (System.nanoTime() - t0) / 1_000_000;
            st = n.stats();
        }
        // a blocking offer would take at least the 500 ms timeout; the bound leaves room for a GC pause
        assertTrue(worstNanos < 250_000_000L, "slowest offer took " + worstNanos / 1_000_000 + " ms");
        assertTrue(st.dropped() >= count - 10, st.toString());
        assertEquals(count, st.sent() + st.failed() + st.dropped(), "every anomaly is accounted for: " + st);
        assertTrue(closeMs >= 900 && closeMs < 3_000, "close waited " + closeMs + " ms (bound: 2 x timeout)");
        assertTrue(errors.stream().anyMatch(e -> e.contains("alert message(s) not sent")), errors.toString());
    }

    @Test
    void closeFlushesTheQueueAndTheOpenSummary() throws Exception {
        slack = FakeSlack.start();
        long closeMs;
        try (SlackNotifier n = notifier(settings(slack.url(), Duration.ofMinutes(1), Duration.ofSeconds(2), 10))) {
            n.offer(anomaly("1.1.1.1", "/first", 0.9));
            for (int i = 0; i < 20; i++) n.offer(anomaly("2.2.2." + (i % 3), "/next", 0.8));
            long t0 = System.nanoTime();
            n.close();
            closeMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(new SlackNotifier.Stats(2, 20, 0, 0, 0), n.stats());
        }
        List<FakeSlack.Request> rs = slack.requests();
        assertEquals(2, rs.size());
        assertTrue(text(rs.get(0)).startsWith("🚨 Anomaly on web-1: `1.1.1.1`"), text(rs.get(0)));
        assertEquals("📦 20 more anomalies from 3 clients on web-1: top paths `/next` ×20", text(rs.get(1)));
        assertTrue(closeMs < 2_000, "close took " + closeMs + " ms");
    }

    @Test
    void noRequestAfterA404AndEachLostAlertCountsAsFailed() throws Exception {
        slack = FakeSlack.start().then(FakeSlack.Reply.of(404, "no_service"));
        try (SlackNotifier n = notifier(settings(slack.url(), Duration.ZERO, Duration.ofSeconds(2), 10))) {
            for (int i = 0; i < 5; i++) n.offer(anomaly("1.1.1." + i, "/a", 0.9));
            n.close();
            assertEquals(new SlackNotifier.Stats(0, 0, 0, 5, 0), n.stats());
        }
        assertEquals(1, slack.requests().size());
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("404 no_service"), errors.get(0));
    }

    @Test
    void sendNowSaysWhetherSlackAcceptedAndWhyNot() throws Exception {
        slack = FakeSlack.start().then(FakeSlack.Reply.of(400, "invalid_payload"));
        try (SlackNotifier n = notifier(settings(slack.url(), Duration.ZERO, Duration.ofSeconds(2), 10))) {
            SlackNotifier.Result bad = n.sendNow(SlackMessage.test("one", "h"));
            SlackNotifier.Result good = n.sendNow(SlackMessage.test("two", "h"));
            outputs.add(bad.toString());
            outputs.add(good.toString());
            assertEquals(new SlackNotifier.Result(false, 400, "400 invalid_payload"), bad);
            assertTrue(good.accepted());
            assertEquals(new SlackNotifier.Stats(1, 0, 0, 1, 0), n.stats());
        }
    }

    @Test
    void defaultTimingsSendAtMostOneMessagePerSecond() throws Exception {
        slack = FakeSlack.start();
        try (SlackNotifier n = new SlackNotifier(settings(slack.url(), Duration.ZERO, Duration.ofSeconds(5), 10), "web-1", "access.log", errors::add)) {
            assertTrue(n.describe().startsWith("Slack alerts on: http://127.0.0.1:"), n.describe());
            outputs.add(n.describe());
            for (int i = 0; i < 3; i++) n.offer(anomaly("1.1.1." + i, "/a", 0.9));
            List<FakeSlack.Request> rs = slack.await(3, Duration.ofSeconds(5));
            assertEquals(3, rs.size());
            for (int i = 1; i < 3; i++) {
                long gap = (rs.get(i).arrivedNanos() - rs.get(i - 1).arrivedNanos()) / 1_000_000;
                assertTrue(gap >= 990, "gap " + gap + " ms");
            }
        }
    }

    @Test
    void statsPrintAsOneLine() {
        assertEquals("3 sent, 994 grouped, 2 suppressed, 0 failed, 1 dropped",
                new SlackNotifier.Stats(3, 994, 2, 0, 1).toString());
    }
}
