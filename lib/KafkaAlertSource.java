// KafkaAlertSource.java -- alert.java's alerter mode: reads the alerts topic, skips what was already alerted, posts through SlackNotifier.
package sentinel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The single consumer of the alerts topic that N detectors publish to. Each alert is keyed on client, rule and
 * window ({@link KafkaAlert#dedupeKey}, window = {@code alert.realert}); a key already in the {@link KafkaLedger}
 * is skipped, so neither a detector judging lines again after a crash nor this alerter re-reading after its own
 * restart alerts twice. New alerts go through the same {@link SlackNotifier} as on one host (grouping, realert,
 * Slack's rate limit). Offsets are committed after the ledger has the keys.
 */
public final class KafkaAlertSource {
    public static final String ALERT_GROUP = "sentinel-alerter";
    /** Alert records carry a whole log line plus JSON: never cut them (a cut record is not valid JSON). */
    static final int MAX_RECORD_BYTES = 8 << 20;

    private final Duration window;
    private final KafkaLedger ledger;
    private final SlackNotifier notifier;
    private final AccessLogParser parser;
    private final Consumer<String> notices;
    private long read, offered, repeats, invalid;

    KafkaAlertSource(Duration window, KafkaLedger ledger, SlackNotifier notifier, AccessLogParser parser, Consumer<String> notices) {
        this.window = window;
        this.ledger = ledger;
        this.notifier = notifier;
        this.parser = parser;
        this.notices = notices;
    }

    /** True when the command line or environment named a source ({@code --source}, SENTINEL_SOURCE): alert.java then consumes alerts. */
    public static boolean requested(Config cfg) {
        Config.Setting s = cfg.settings().get("source");
        return s != null && s.value() != null && (s.origin().startsWith("--") || s.origin().startsWith("env "));
    }

    /**
     * Consumes the alerts topic named by {@code source} until SIGINT/SIGTERM or, with {@code once}, until it has
     * read everything there now; prints one summary line. Throws SentinelException with one line on failure.
     */
    public static void run(Config cfg, boolean once, Consumer<String> notices) throws Exception {
        KafkaUri uri = KafkaUri.parse((String) cfg.get("source"), "source");
        Properties user = KafkaClients.load((Path) cfg.get("kafka_config"));
        AlertSettings settings = cfg.alert();
        try (SlackNotifier notifier = new SlackNotifier(settings, SlackNotifier.localHostName(), "Kafka topic " + uri.topic(), notices)) {
            if (!notifier.active()) throw SentinelException.badInput(notifier.describe());
            KafkaClients.checkTopic(uri, user, "source");
            try (KafkaLedger ledger = KafkaLedger.open(uri, user)) {
                notices.accept("alert: " + notifier.describe());
                notices.accept("alert: " + ledger.size() + " alerts already posted, from " + ledger.topic());
                var self = new KafkaAlertSource(window(settings), ledger, notifier, cfg.model().parser(), notices);
                KafkaSource source = KafkaSource.open(uri, user, ALERT_GROUP, "earliest", MAX_RECORD_BYTES, once,
                        new KafkaSource.Hooks(null, ledger::flush, ledger::catchUp), s -> notices.accept("alert: " + s));
                self.runUntilStopped(source);
            }
        }
    }

    /** The dedupe window: alert.realert, else the group window, else one minute. */
    static Duration window(AlertSettings s) {
        if (s.realert() != null && !s.realert().isZero()) return s.realert();
        if (s.groupWindow() != null && !s.groupWindow().isZero()) return s.groupWindow();
        return Duration.ofMinutes(1);
    }

    /** One alert record: skipped when not an alert or already alerted, else recorded in the ledger and offered. */
    void accept(String json, String position) {
        read++;
        KafkaAlert a;
        try {
            a = KafkaAlert.parse(json);
        } catch (IllegalArgumentException e) {
            if (invalid++ == 0) notices.accept("alert: warning: " + position + " is not a Sentinel alert (" + e.getMessage()
                    + "); is --source the alerts topic? Skipping such records");
            return;
        }
        String key = a.dedupeKey(window);
        if (ledger.seen(key)) {
            repeats++;
            return;
        }
        ledger.record(key);
        offered++;
        notifier.offer(a.toVerdict(parser));
    }

    /** The exit summary. */
    String summary() {
        return read + " alerts read, " + offered + " passed to Slack, " + repeats + " already alerted (replays and repeats), "
                + invalid + " not alerts; slack: " + notifier.stats();
    }

    private void runUntilStopped(KafkaSource source) throws Exception {
        SignalStop.run(source, () -> source.run(this::accept), () -> {
            notifier.close(); // sends what is pending (summaries included) before the summary line
            notices.accept("alert: " + summary());
        });
    }
}
