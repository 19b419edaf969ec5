// KafkaLedger.java -- the alerter's memory of what it has posted, kept in a compacted Kafka topic beside the alerts topic.
package sentinel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Dedupe keys ({@link KafkaAlert#dedupeKey}) already alerted, in topic {@code <alerts-topic>-sent} (compacted, and
 * deleted after 7 days like the alerts themselves). The alerter reads it all at start and after every partition
 * assignment, so a restarted alerter, or one taking over, skips what was already posted. A key is recorded before
 * its alert is offered to Slack: a crash between the two loses that one alert rather than repeating a burst.
 */
final class KafkaLedger implements AutoCloseable {
    static final String SUFFIX = "-sent";
    static final int MAX_KEYS = 200_000;
    private static final Duration LOAD_LIMIT = Duration.ofSeconds(30);
    private static final long RETENTION_MS = Duration.ofDays(7).toMillis();

    private final KafkaConsumer<byte[], byte[]> reader;
    private final KafkaProducer<String, byte[]> writer;
    private final KafkaUri uri;
    private final String topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Map<String, Boolean> keys = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_KEYS;
        }
    };

    private KafkaLedger(KafkaConsumer<byte[], byte[]> reader, KafkaProducer<String, byte[]> writer, KafkaUri uri, String topic) {
        this.reader = reader;
        this.writer = writer;
        this.uri = uri;
        this.topic = topic;
    }

    /** Opens (creating it when missing) the ledger of the alerts topic {@code alerts}, and reads it. */
    static KafkaLedger open(KafkaUri alerts, Properties user) {
        String topic = alerts.topic() + SUFFIX;
        ensureTopic(alerts, user, topic);
        Properties rp = KafkaClients.consumer(alerts, user, "unused", "earliest", s -> { });
        rp.remove("group.id"); // read with assign(): the ledger is read whole by every alerter, not shared out
        rp.remove("group.instance.id");
        KafkaConsumer<byte[], byte[]> reader = null;
        try {
            reader = new KafkaConsumer<>(rp);
            List<TopicPartition> parts = new ArrayList<>();
            for (PartitionInfo p : reader.partitionsFor(topic, KafkaClients.CONNECT_TIMEOUT)) parts.add(new TopicPartition(topic, p.partition()));
            reader.assign(parts);
            reader.seekToBeginning(parts);
            KafkaLedger ledger = new KafkaLedger(reader, new KafkaProducer<>(KafkaClients.producer(alerts, user)), alerts, topic);
            ledger.catchUp();
            return ledger;
        } catch (KafkaException e) {
            if (reader != null) reader.close(CloseOptions.timeout(Duration.ofSeconds(2)));
            throw KafkaClients.explain(e, alerts, "source (ledger " + topic + ")");
        }
    }

    private static void ensureTopic(KafkaUri alerts, Properties user, String topic) {
        NewTopic t = new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of("cleanup.policy", "compact,delete", "retention.ms", String.valueOf(RETENTION_MS)));
        try (Admin admin = Admin.create(KafkaClients.admin(alerts, user))) {
            admin.createTopics(List.of(t)).all().get(KafkaClients.CONNECT_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) return;
            SentinelException why = KafkaClients.explain(e.getCause(), alerts, "source");
            throw new SentinelException(why.status(), "cannot create the alerter's ledger topic " + topic + " (compacted): "
                    + why.getMessage(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw KafkaClients.explain(new org.apache.kafka.common.errors.TimeoutException(e.getMessage()), alerts, "source");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SentinelException.failure("interrupted while creating " + topic, e);
        }
    }

    /** Reads what other alerters (or an earlier run) recorded, up to the ledger's current end. */
    void catchUp() {
        Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment(), KafkaClients.CONNECT_TIMEOUT);
        long deadline = System.nanoTime() + LOAD_LIMIT.toNanos();
        while (!done(end)) {
            if (System.nanoTime() > deadline) throw SentinelException.failure("could not read the ledger topic " + topic + " within "
                    + LOAD_LIMIT.toSeconds() + " s", null);
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                if (r.key() != null) keys.put(new String(r.key(), StandardCharsets.UTF_8), Boolean.TRUE);
            }
        }
    }

    private boolean done(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (reader.position(e.getKey(), KafkaClients.CONNECT_TIMEOUT) < e.getValue()) return false;
        }
        return true;
    }

    /** True when {@code key} was already alerted (by this or an earlier alerter). */
    boolean seen(String key) {
        return keys.containsKey(key);
    }

    /** Records {@code key} as alerted; durable after {@link #flush}. */
    void record(String key) {
        keys.put(key, Boolean.TRUE);
        byte[] when = Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
        writer.send(new ProducerRecord<>(topic, key, when), (m, e) -> {
            if (e != null) failure.compareAndSet(null, e);
        });
    }

    /** Waits until every recorded key is acknowledged; throws SentinelException (exit 1) if one was not. */
    void flush() {
        writer.flush();
        Exception e = failure.get();
        if (e != null) throw SentinelException.failure("could not record alerts in " + topic + ": "
                + KafkaClients.explain(e, uri, "source").getMessage(), e);
    }

    int size() {
        return keys.size();
    }

    String topic() {
        return topic;
    }

    @Override
    public void close() {
        try {
            writer.close(Duration.ofSeconds(5));
        } finally {
            reader.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }
}
