// SlackNotifier.java -- sends anomalies to a Slack webhook from a background thread, grouped, paced and counted.
package sentinel;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Slack alerts that never slow detection down. {@link #offer} only classifies (see {@link AlertGrouper}) and
 * queues; one daemon thread builds and sends the messages through {@link SlackDelivery}. Counts: {@code sent}
 * and {@code failed} are messages (singles and summaries); {@code grouped} and {@code suppressed} are anomalies
 * folded into a summary or held back by {@code realert}; {@code dropped} are anomalies that found the queue
 * full plus messages still unsent when the shutdown wait ended. With no usable webhook it does nothing.
 * {@code errors} receives one-line reports, from any thread, and never the webhook URL.
 */
public final class SlackNotifier implements AutoCloseable {

    /** The outcome of one message: accepted by the webhook, or the reason it was not (e.g. {@code 404 no_service}). */
    public record Result(boolean accepted, int status, String reason) {
        @Override
        public String toString() {
            return accepted ? "accepted (" + reason + ")" : reason;
        }
    }

    /** Totals for the exit summary. */
    public record Stats(long sent, long grouped, long suppressed, long failed, long dropped) {
        @Override
        public String toString() {
            return sent + " sent, " + grouped + " grouped, " + suppressed + " suppressed, "
                    + failed + " failed, " + dropped + " dropped";
        }
    }

    /** Wakes the sender at shutdown; never sent. */
    private static final Verdict WAKE = new Verdict(0, "", null, null, Double.NaN, Double.NaN, false, null, List.of(), null);
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration MAX_FLUSH = Duration.ofSeconds(10);

    private final AlertSettings settings;
    private final String host;
    private final String logFile;
    private final Consumer<String> errors;
    private final Clock clock;
    private final SlackDelivery delivery;
    private final AlertGrouper grouper;
    private final BlockingQueue<Verdict> queue;
    private final AtomicLong sent = new AtomicLong(), grouped = new AtomicLong(), suppressed = new AtomicLong(),
            failed = new AtomicLong(), dropped = new AtomicLong();
    private Thread sender;
    private volatile boolean closing;
    private volatile boolean inFlight;

    /** A notifier for {@code settings}; reports go to {@code errors}. When alerts are off it is silent: see {@link #describe()}. */
    public SlackNotifier(AlertSettings settings, String hostName, String logFile, Consumer<String> errors) {
        this(settings, hostName, logFile, errors, SlackDelivery.Tuning.defaults(), Clock.systemUTC());
    }

    /** As above with shortened timings and a chosen clock (tests). Throws SentinelException (exit 2) for a malformed URL. */
    SlackNotifier(AlertSettings settings, String hostName, String logFile, Consumer<String> errors,
                  SlackDelivery.Tuning tuning, Clock clock) {
        this.settings = settings;
        this.host = Objects.requireNonNullElse(hostName, "");
        this.logFile = Objects.requireNonNullElse(logFile, "");
        this.clock = clock;
        this.grouper = new AlertGrouper(or(settings.groupWindow(), Duration.ofSeconds(30)), or(settings.realert(), Duration.ofMinutes(5)));
        this.queue = new LinkedBlockingQueue<>(Math.max(1, settings.maxQueue())); // allocates per item, not max_queue up front
        SlackDelivery d = null;
        Consumer<String> safe = safe(errors, null);
        if (settings.active()) {
            URI uri = parse(settings.webhook(), settings.redactedWebhook());
            d = new SlackDelivery(uri, settings.webhook().strip(), timeout(settings), tuning, safe);
            safe = safe(errors, d);
            if (uri.getScheme().equalsIgnoreCase("http") && !loopback(uri.getHost())) {
                safe.accept("slack: warning: the webhook " + settings.redactedWebhook() + " uses plain http://: alerts and the"
                        + " webhook's secret path travel unencrypted");
            }
        }
        this.delivery = d;
        this.errors = safe;
    }

    /** True when a usable webhook is configured and alerts are enabled. */
    public boolean active() {
        return delivery != null;
    }

    /** One line for the start-up notice: where alerts go (URL redacted) and the grouping rules, or why they are off. */
    public String describe() {
        if (!active()) return "Slack alerts off: " + whyOff(settings);
        return "Slack alerts on: " + settings.redactedWebhook() + " (group window " + grouper.window().toSeconds()
                + " s, realert " + grouper.realert().toSeconds() + " s, min score " + settings.minScore() + ")";
    }

    /** Queues an alert for an anomalous verdict at or above min_score; never blocks, never throws. */
    public void offer(Verdict v) {
        try {
            if (delivery == null || closing || v == null || !v.anomaly() || v.score() < settings.minScore()) return;
            AlertGrouper.Decision d;
            synchronized (grouper) {
                d = grouper.admit(v, clock.instant());
            }
            switch (d) {
                case GROUPED -> grouped.incrementAndGet();
                case SUPPRESSED -> suppressed.incrementAndGet();
                case SEND -> {
                    if (queue.offer(v)) startSender();
                    else dropped.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            dropped.incrementAndGet();
            errors.accept("slack: an alert was dropped: " + e);
        }
    }

    /** Sends {@code m} now on the calling thread, with the same pacing and retries; for alert.java. */
    public Result sendNow(SlackMessage m) {
        if (delivery == null) return new Result(false, 0, "alerts are off: " + whyOff(settings));
        try {
            return count(delivery.send(m.toJson()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, 0, "interrupted before the webhook answered");
        }
    }

    /** A snapshot of the counters. */
    public Stats stats() {
        return new Stats(sent.get(), grouped.get(), suppressed.get(), failed.get(), dropped.get());
    }

    /**
     * Sends what is pending (queued alerts, then open summaries), waiting at most min(2·timeout, 10 s);
     * what is still unsent then is counted as dropped. Idempotent.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closing) return;
            closing = true;
            t = sender;
        }
        if (t == null) {
            dropped.addAndGet(queue.size()); // lost a race with offer: queued after the sender could start
            return;
        }
        queue.offer(WAKE);
        Duration twice = timeout(settings).multipliedBy(2);
        Duration wait = twice.compareTo(MAX_FLUSH) > 0 ? MAX_FLUSH : twice;
        try {
            t.join(Math.max(1, wait.toMillis()));
            if (t.isAlive()) {
                t.interrupt();
                t.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void startSender() {
        if (sender != null || closing) return;
        sender = new Thread(this::run, "slack-sender");
        sender.setDaemon(true);
        sender.start();
    }

    private void run() {
        try {
            for (;;) {
                for (AlertSummary s : summaries(false)) deliver(() -> SlackMessage.summary(s, host, logFile));
                if (closing && queue.stream().allMatch(v -> v == WAKE)) {
                    for (AlertSummary s : summaries(true)) deliver(() -> SlackMessage.summary(s, host, logFile));
                    return;
                }
                Verdict v = queue.poll(waitMillis(), TimeUnit.MILLISECONDS);
                if (v != null && v != WAKE) deliver(() -> SlackMessage.forAnomaly(v, host, logFile, clock.instant()));
            }
        } catch (InterruptedException e) {
            long left = queue.stream().filter(v -> v != WAKE).count() + (inFlight ? 1 : 0) + summaries(true).size();
            dropped.addAndGet(left);
            errors.accept("slack: stopped waiting for the webhook at shutdown; " + left + " alert message(s) not sent");
        }
    }

    private List<AlertSummary> summaries(boolean all) {
        synchronized (grouper) {
            return all ? grouper.takeAll() : grouper.takeDue(clock.instant());
        }
    }

    private long waitMillis() {
        if (closing) return 0;
        Instant next;
        synchronized (grouper) {
            next = grouper.nextDue();
        }
        long idle = IDLE.toMillis();
        return next == null ? idle : Math.max(1, Math.min(idle, Duration.between(clock.instant(), next).toMillis() + 1));
    }

    /** Builds and sends one message; a failure of either is counted and reported, and the sender carries on. */
    private void deliver(Supplier<SlackMessage> message) throws InterruptedException {
        inFlight = true; // stays set when interrupted, so the shutdown count includes this message
        try {
            count(delivery.send(message.get().toJson()));
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            errors.accept("slack: an alert could not be sent: " + e);
        }
        inFlight = false;
    }

    private Result count(Result r) {
        (r.accepted() ? sent : failed).incrementAndGet();
        return r;
    }

    /** This machine's name for alerts, or "unknown-host" when the lookup fails (it never throws). */
    public static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }

    private static Consumer<String> safe(Consumer<String> errors, SlackDelivery d) {
        return line -> {
            try {
                if (errors != null) errors.accept(d == null ? line : d.scrub(line));
            } catch (RuntimeException ignored) {
                // a broken error sink must not stop alerting
            }
        };
    }

    private static URI parse(String webhook, String redacted) {
        try {
            URI uri = new URI(webhook.strip());
            String scheme = uri.getScheme();
            if (scheme != null && (scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http")) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // not chained: its message quotes the whole URL, secret included
        }
        throw SentinelException.badInput("slack_webhook (or SLACK_WEBHOOK_URL) is not an http(s) URL: " + redacted);
    }

    private static boolean loopback(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("[::1]") || h.equals("::1");
    }

    private static String whyOff(AlertSettings s) {
        if (!s.enabled()) return "alert.enabled is false";
        if (s.webhook() == null || s.webhook().isBlank()) return "no webhook configured (set slack_webhook in config.yaml or SLACK_WEBHOOK_URL)";
        return "slack_webhook is still the placeholder URL (set a real one in config.yaml or SLACK_WEBHOOK_URL)";
    }

    private static Duration or(Duration d, Duration fallback) {
        return d == null || d.isNegative() ? fallback : d;
    }

    private static Duration timeout(AlertSettings s) {
        Duration t = or(s.timeout(), Duration.ofSeconds(10));
        return t.isZero() ? Duration.ofSeconds(10) : t;
    }
}
