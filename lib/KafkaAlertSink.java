// KafkaAlertSink.java -- detect's alerts published to a Kafka topic (keyed by client, acks=all, idempotent) instead of Slack.
package sentinel;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Hands each anomaly to the alerts topic for the one alerter ({@code alert.java --source}) to group, de-duplicate
 * and post. {@link #accept} never blocks detection for long; {@link #flush} waits until every alert handed over
 * is acknowledged by all in-sync replicas, and a detector calls it before committing its input offsets, so an
 * alert is never lost between the two. A failed send makes the next flush throw (exit 1, offsets not committed).
 */
public final class KafkaAlertSink implements Consumer<Verdict>, AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Producer<String, byte[]> producer;
    private final KafkaUri uri;
    private final String detector;
    private final Clock clock;
    private final AtomicLong sent = new AtomicLong(), acked = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    KafkaAlertSink(Producer<String, byte[]> producer, KafkaUri uri, String detector, Clock clock) {
        this.producer = producer;
        this.uri = uri;
        this.detector = detector;
        this.clock = clock;
    }

    /** Checks the brokers and topic, then opens the producer. Throws SentinelException with one line on failure. */
    public static KafkaAlertSink open(String alertsTo, Path kafkaConfig, String detector) {
        KafkaUri uri = KafkaUri.parse(alertsTo, "alerts_to");
        Properties user = KafkaClients.load(kafkaConfig);
        KafkaClients.checkTopic(uri, user, "alerts_to");
        try {
            return new KafkaAlertSink(new KafkaProducer<>(KafkaClients.producer(uri, user)), uri, detector, Clock.systemUTC());
        } catch (KafkaException e) {
            throw KafkaClients.explain(e, uri, "alerts_to");
        }
    }

    /** One line for the start-up notice. */
    public String describe() {
        return "alerts go to Kafka topic " + uri.topic() + " at " + uri.bootstrap() + " (alert.java --source posts them to Slack)";
    }

    /** Publishes an anomalous, parsed verdict keyed by its client; other verdicts are ignored. */
    @Override
    public void accept(Verdict v) {
        if (v == null || !v.anomaly() || !v.parsed()) return;
        KafkaAlert a = KafkaAlert.of(v, detector, clock.instant());
        try {
            producer.send(new ProducerRecord<>(uri.topic(), a.client(), a.toJson()), (meta, e) -> {
                if (e == null) acked.incrementAndGet();
                else failure.compareAndSet(null, e);
            });
            sent.incrementAndGet();
        } catch (KafkaException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Waits until every alert handed over is acknowledged; throws SentinelException (exit 1) if any was not. */
    public void flush() {
        producer.flush();
        Exception e = failure.get();
        if (e != null) {
            SentinelException why = KafkaClients.explain(e, uri, "alerts_to");
            throw SentinelException.failure("could not publish alerts: " + why.getMessage(), e);
        }
    }

    /** Totals for the exit summary. */
    public String stats() {
        return sent.get() + " published to " + uri.topic() + ", " + acked.get() + " acknowledged";
    }

    /** Sends what is pending (bounded) and closes the producer. */
    @Override
    public void close() {
        try {
            producer.close(CLOSE_TIMEOUT);
        } catch (KafkaException ignored) {
            // unsent alerts belong to uncommitted input lines: the next reader judges them again
        }
    }
}
