// SlackDeliveryTest.java -- retries, backoff, Retry-After, pacing and dead webhooks against a real loopback server.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlackDeliveryTest {
    /** Scheduling slack on a busy 2-core machine; lower bounds are exact, upper bounds get this much extra. */
    static final long LATE_MS = 400;
    static final SlackDelivery.Tuning FAST = new SlackDelivery.Tuning(Duration.ofMillis(20), Duration.ofMillis(100),
            Duration.ofMillis(400), 3, Duration.ofSeconds(2), 42);

    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    final List<String> outputs = new ArrayList<>();
    FakeSlack slack;

    SlackDelivery delivery(String url, Duration timeout, SlackDelivery.Tuning tuning) {
        return new SlackDelivery(URI.create(url), url, timeout, tuning, errors::add);
    }

    SlackNotifier.Result send(SlackDelivery d) throws InterruptedException {
        SlackNotifier.Result r = d.send(SlackMessage.test("hello", "h").toJson());
        outputs.add(r.toString());
        return r;
    }

    static long gapMs(List<FakeSlack.Request> rs, int i) {
        return (rs.get(i).arrivedNanos() - rs.get(i - 1).arrivedNanos()) / 1_000_000;
    }

    @AfterEach
    void webhookNeverShows() {
        if (slack != null) slack.close();
        List<String> all = new ArrayList<>(errors);
        all.addAll(outputs);
        for (String s : all) assertFalse(s.contains(FakeSlack.SECRET) || s.contains("B0SENTINEL"), "webhook leaked: " + s);
    }

    @Test
    void backoffDoublesWithJitterInsideBounds() {
        SlackDelivery d = delivery("https://hooks.example/services/T/B/X", Duration.ofSeconds(1), new SlackDelivery.Tuning(
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Duration.ofSeconds(60), 7));
        long[] full = {1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000};
        for (int attempt = 1; attempt <= full.length; attempt++) {
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                long ms = d.backoff(attempt).toMillis();
                assertTrue(ms >= full[attempt - 1] / 2 && ms <= full[attempt - 1], "attempt " + attempt + ": " + ms);
                seen.add(ms);
            }
            assertTrue(seen.size() > 50, "jitter spreads the waits");
        }
        assertEquals(30_000, d.backoff(100).toMillis(), 15_000, "huge attempt numbers stay capped");
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertEquals(Duration.ofSeconds(3), SlackDelivery.retryAfter("3"));
        assertEquals(Duration.ofMillis(1500), SlackDelivery.retryAfter(" 1.5 "));
        assertEquals(Duration.ZERO, SlackDelivery.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
        assertNull(SlackDelivery.retryAfter("soon"));
        assertNull(SlackDelivery.retryAfter(""));
        assertNull(SlackDelivery.retryAfter("-4"));
    }

    @Test
    void serverErrorsAreRetriedWithGrowingBackoffThenAccepted() throws Exception {
        slack = FakeSlack.start().then(FakeSlack.Reply.of(500, "internal_error"), FakeSlack.Reply.of(503, "service_unavailable"));
        SlackNotifier.Result r = send(delivery(slack.url(), Duration.ofSeconds(2), FAST));
        assertTrue(r.accepted(), r.toString());
        assertEquals("accepted (200 ok)", r.toString());
        List<FakeSlack.Request> rs = slack.requests();
        assertEquals(3, rs.size());
        assertTrue(gapMs(rs, 1) >= 50 && gapMs(rs, 1) <= 100 + LATE_MS, "first retry after " + gapMs(rs, 1) + " ms");
        assertTrue(gapMs(rs, 2) >= 100 && gapMs(rs, 2) <= 200 + LATE_MS, "second retry after " + gapMs(rs, 2) + " ms");
        assertTrue(rs.get(0).contentType().startsWith("application/json"));
        assertEquals(List.of(), errors);
    }

    @Test
    void rateLimitWaitsForRetryAfter() throws Exception {
        slack = FakeSlack.start().then(FakeSlack.Reply.rateLimited("1"));
        SlackNotifier.Result r = send(delivery(slack.url(), Duration.ofSeconds(2), FAST));
        assertTrue(r.accepted());
        List<FakeSlack.Request> rs = slack.requests();
        assertEquals(2, rs.size());
        assertTrue(gapMs(rs, 1) >= 1_000 && gapMs(rs, 1) <= 1_000 + LATE_MS, "retried after " + gapMs(rs, 1) + " ms");
    }

    @Test
    void badPayloadIsNotRetriedAndLaterMessagesStillGo() throws Exception {
        slack = FakeSlack.start().then(FakeSlack.Reply.of(400, "invalid_payload"), FakeSlack.Reply.of(400, "invalid_payload"));
        SlackDelivery d = delivery(slack.url(), Duration.ofSeconds(2), FAST);
        SlackNotifier.Result r = send(d);
        assertFalse(r.accepted());
        assertEquals("400 invalid_payload", r.toString());
        assertEquals(1, slack.requests().size());
        assertEquals("400 invalid_payload", send(d).toString());
        assertTrue(send(d).accepted());
        assertEquals(3, slack.requests().size());
        assertEquals(1, errors.size(), "the same rejection is reported once: " + errors);
        assertTrue(errors.get(0).contains("rejected with 400 invalid_payload"), errors.get(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {403, 404, 410})
    void goneWebhookIsNeverCalledAgain(int status) throws Exception {
        slack = FakeSlack.start().then(FakeSlack.Reply.of(status, "no_service"));
        SlackDelivery d = delivery(slack.url(), Duration.ofSeconds(2), FAST);
        assertEquals(status + " no_service", send(d).toString());
        SlackNotifier.Result again = send(d);
        assertFalse(again.accepted());
        assertTrue(again.reason().startsWith(status + " no_service"), again.reason());
        assertEquals(1, slack.requests().size(), "no request after " + status);
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("answered " + status + " no_service") && errors.get(0).contains("/services/T…/…/…"), errors.get(0));
    }

    @Test
    void slowWebhookTimesOutAndIsRetried() throws Exception {
        slack = FakeSlack.start().answerAlways(FakeSlack.Reply.slow(Duration.ofSeconds(5)));
        long t0 = System.nanoTime();
        SlackNotifier.Result r = send(delivery(slack.url(), Duration.ofMillis(300), FAST));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("no answer within 300 ms after 3 attempts", r.toString());
        assertEquals(3, slack.requests().size());
        assertTrue(ms >= 3 * 300 && ms < 3 * 600 + 300 + LATE_MS * 2, "took " + ms + " ms");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("slack: gave up on an alert after 3 attempts: no answer within 300 ms"), errors.get(0));
    }

    @Test
    void refusedConnectionIsRetriedThenReportedWithoutTheUrl() throws Exception {
        String url = FakeSlack.refusedUrl();
        SlackNotifier.Result r = send(delivery(url, Duration.ofSeconds(1), FAST));
        assertEquals("connection refused after 3 attempts", r.toString());
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("/services/T…/…/…"), errors.get(0));
    }

    @Test
    void neverMoreThanOneRequestPerInterval() throws Exception {
        slack = FakeSlack.start();
        SlackDelivery d = delivery(slack.url(), Duration.ofSeconds(2), new SlackDelivery.Tuning(Duration.ofMillis(250),
                Duration.ofMillis(100), Duration.ofMillis(400), 3, Duration.ofSeconds(2), 1));
        for (int i = 0; i < 4; i++) assertTrue(send(d).accepted());
        List<FakeSlack.Request> rs = slack.requests();
        for (int i = 1; i < rs.size(); i++) assertTrue(gapMs(rs, i) >= 240, "gap " + i + ": " + gapMs(rs, i) + " ms");
    }

    @Test
    void scrubHidesTheWebhookInAnyText() {
        String url = "https://hooks.slack.com/services/T123/B456/abcdef";
        SlackDelivery d = delivery(url, Duration.ofSeconds(1), FAST);
        assertEquals("x https://hooks.slack.com/services/T…/…/… y /… z", d.scrub("x " + url + " y /services/T123/B456/abcdef z"));
    }
}
