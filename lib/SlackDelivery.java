// SlackDelivery.java -- POSTs payloads to one webhook: pacing, retries with backoff, Retry-After, dead webhooks.
package sentinel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Sends one payload at a time to one webhook, synchronously. Never more than one request per
 * {@code minInterval} (Slack allows one message per second per webhook). Connection errors, timeouts,
 * 408 and 5xx are retried with exponential backoff and jitter; 429 waits for {@code Retry-After}.
 * 403, 404 and 410 mean the webhook is gone: it is never called again in this run. Other 4xx reject
 * the one message. The URL never appears in anything this class returns or reports.
 */
final class SlackDelivery {

    /** Timings, shortened in tests; jitter draws from a seeded generator so runs are reproducible. */
    record Tuning(Duration minInterval, Duration backoffBase, Duration backoffMax, int maxAttempts,
                  Duration maxRetryAfter, long seed) {
        static Tuning defaults() {
            return new Tuning(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(30), 5,
                    Duration.ofSeconds(60), System.nanoTime());
        }
    }

    private static final int MAX_REPORTED = 50;

    private final URI uri;
    private final String webhook;
    private final String redacted;
    private final Duration timeout;
    private final Tuning tuning;
    private final Consumer<String> errors;
    private final HttpClient client;
    private final Random jitter;
    private final Set<String> reported = new HashSet<>();
    private long lastEnd = Long.MIN_VALUE;
    private SlackNotifier.Result gone;

    /** {@code uri} is the parsed webhook; {@code errors} gets one-line, URL-free reports of final failures. */
    SlackDelivery(URI uri, String webhook, Duration timeout, Tuning tuning, Consumer<String> errors) {
        this.uri = uri;
        this.webhook = webhook;
        this.redacted = AlertSettings.redact(webhook);
        this.timeout = timeout;
        this.tuning = tuning;
        this.errors = errors;
        this.jitter = new Random(tuning.seed());
        this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.getDefault()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Delivers {@code json}, retrying as the rules allow; the result says accepted or why not. */
    synchronized SlackNotifier.Result send(String json) throws InterruptedException {
        if (gone != null) return gone;
        SlackNotifier.Result last = null;
        for (int attempt = 1; attempt <= tuning.maxAttempts(); attempt++) {
            pace();
            Attempt a = post(json, attempt);
            last = a.result;
            if (last.accepted()) return last;
            if (a.retryAfter == null) return reject(last);
            if (attempt < tuning.maxAttempts()) Thread.sleep(a.retryAfter.toMillis());
        }
        report("gave up:" + last.reason(), "slack: gave up on an alert after " + tuning.maxAttempts() + " attempts: "
                + last + " (webhook " + redacted + ")");
        return new SlackNotifier.Result(false, last.status(), last.reason() + " after " + tuning.maxAttempts() + " attempts");
    }

    /** The wait before retry number {@code attempt} (1 = first retry): base·2^(attempt-1), capped, with jitter in [½, 1]. */
    Duration backoff(int attempt) {
        long base = tuning.backoffBase().toMillis();
        long max = tuning.backoffMax().toMillis();
        long d = attempt >= 31 ? max : Math.min(max, base << (attempt - 1));
        return Duration.ofMillis(d / 2 + (d <= 1 ? 0 : (long) (jitter.nextDouble() * (d - d / 2))));
    }

    /** Replaces the webhook (whole, or its secret path) in {@code text} by its redacted form. */
    String scrub(String text) {
        if (text == null) return "";
        String out = text.replace(webhook, redacted);
        String path = uri.getRawPath();
        if (path != null && path.length() > 1) out = out.replace(path, "/…");
        return out;
    }

    /** One request's outcome; {@code retryAfter} is null when it must not be retried. */
    private record Attempt(SlackNotifier.Result result, Duration retryAfter) {}

    private Attempt post(String json, int attempt) throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
        CompletableFuture<HttpResponse<String>> f = client.sendAsync(req, HttpResponse.BodyHandlers.ofString());
        try {
            // the request timeout stops at the headers; this bound also covers a body that trickles in
            HttpResponse<String> rsp = f.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
            return classify(rsp, attempt);
        } catch (ExecutionException e) {
            return new Attempt(new SlackNotifier.Result(false, 0, describe(e.getCause())), backoff(attempt));
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Attempt(new SlackNotifier.Result(false, 0, "no answer within " + seconds(timeout)), backoff(attempt));
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } finally {
            lastEnd = System.nanoTime();
        }
    }

    private Attempt classify(HttpResponse<String> rsp, int attempt) {
        int status = rsp.statusCode();
        SlackNotifier.Result r = new SlackNotifier.Result(status / 100 == 2, status, reason(status, rsp.body()));
        boolean retryable = status / 100 == 5 || status == 408 || status == 429;
        if (!retryable) return new Attempt(r, null);
        if (status == 429) {
            Duration ra = retryAfter(rsp.headers().firstValue("Retry-After").orElse(null));
            if (ra != null) {
                ra = ra.compareTo(tuning.maxRetryAfter()) > 0 ? tuning.maxRetryAfter() : ra;
                return new Attempt(r, ra);
            }
        }
        return new Attempt(r, backoff(attempt));
    }

    private SlackNotifier.Result reject(SlackNotifier.Result r) {
        int s = r.status();
        if (s == 403 || s == 404 || s == 410) {
            gone = new SlackNotifier.Result(false, s, r.reason() + " (webhook disabled for this run)");
            report("gone", "slack: the webhook " + redacted + " answered " + r + ": it was removed or revoked, or its channel"
                    + " is archived; no more alerts will be sent in this run (check slack_webhook or SLACK_WEBHOOK_URL)");
        } else {
            report("rejected:" + s + r.reason(), "slack: an alert was rejected with " + r
                    + " and will not be retried (the same rejection again is counted, not printed)");
        }
        return r;
    }

    /** Waits until {@code minInterval} has passed since the previous request ended (stricter than Slack needs). */
    private void pace() throws InterruptedException {
        if (lastEnd == Long.MIN_VALUE) return;
        long waitNanos = lastEnd + tuning.minInterval().toNanos() - System.nanoTime();
        if (waitNanos > 0) TimeUnit.NANOSECONDS.sleep(waitNanos);
    }

    private void report(String key, String line) {
        boolean first;
        synchronized (reported) {
            first = reported.size() < MAX_REPORTED && reported.add(key);
        }
        if (first) errors.accept(scrub(line));
    }

    /** Slack's reason: status plus the first line of the body ({@code no_service}), cleaned and cut. */
    private static String reason(int status, String body) {
        String b = body == null ? "" : body.strip();
        int nl = b.indexOf('\n');
        if (nl >= 0) b = b.substring(0, nl);
        b = SlackText.clean(b, false);
        if (b.length() > 200) b = b.substring(0, 199) + SlackText.ELLIPSIS;
        return b.isEmpty() ? Integer.toString(status) : status + " " + b;
    }

    private String describe(Throwable t) {
        if (t instanceof HttpConnectTimeoutException) return "could not connect within " + seconds(timeout);
        if (t instanceof HttpTimeoutException) return "no answer within " + seconds(timeout);
        if (t instanceof ConnectException) return "connection refused";
        String m = t.getMessage();
        String text = m == null || m.isBlank() ? t.getClass().getSimpleName() : SlackText.clean(m, false);
        return scrub(text.length() > 200 ? text.substring(0, 199) + SlackText.ELLIPSIS : text);
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) return null;
        try {
            double s = Double.parseDouble(value.trim());
            return s >= 0 && s < 1e6 ? Duration.ofMillis((long) (s * 1000)) : null;
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException e2) {
                return null;
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
