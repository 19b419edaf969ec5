// KafkaSource.java -- lines from a Kafka topic as one member of a consumer group, committed only after each verdict is out.
package sentinel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A {@link LineSource} over a Kafka topic. Kafka assigns this consumer some of the topic's partitions and moves
 * them when group members come, go or die. At-least-once, as Kafka defines it: auto-commit is off and an offset
 * is committed only for records the sink has finished, after {@link Hooks#beforeCommit()} has made their output
 * and alerts durable — after each poll, when partitions are revoked, and at the end. After a crash, the lines
 * after the last commit are judged again by whoever gets the partition. Per-client state learnt from a partition
 * that moves away is forgotten. Positions are {@code topic-partition@offset}.
 */
public final class KafkaSource implements LineSource {

    /**
     * What the caller adds: {@code clients}, the current per-client state to forget when partitions leave (a
     * supplier, as a model reload brings new state; null or supplying null: none, and no warnings about keys);
     * {@code beforeCommit}, run before every commit; {@code afterAssign}, run after every assignment (null: nothing).
     */
    public record Hooks(Supplier<ClientWindow> clients, Runnable beforeCommit, Runnable afterAssign) {
        ClientWindow window() {
            return clients == null ? null : clients.get();
        }
    }

    public static final String DETECT_GROUP = "sentinel-detect";
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_TRACKED_CLIENTS = 65_536;

    private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
    private final KafkaUri uri;
    private final String group;
    private final int maxLineBytes;
    private final boolean once;
    private final Hooks hooks;
    private final Consumer<String> notices;
    private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
    private final Map<TopicPartition, Set<String>> clientsSeen = new HashMap<>();
    private final Set<TopicPartition> overflowed = new HashSet<>();
    private final Set<TopicPartition> leaving = new HashSet<>();
    private volatile boolean closed;
    private boolean joined, failed, dirty, warnedUnkeyed, warnedKey, warnedCommit;

    /** A source over {@code consumer} (a KafkaConsumer, or a MockConsumer in tests); it subscribes in {@link #run}. */
    KafkaSource(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, KafkaUri uri, String group,
                int maxLineBytes, boolean once, Hooks hooks, Consumer<String> notices) {
        this.consumer = consumer;
        this.uri = uri;
        this.group = group;
        this.maxLineBytes = maxLineBytes;
        this.once = once;
        this.hooks = hooks;
        this.notices = notices;
    }

    /**
     * Detect's source for the {@code source} setting: checks the brokers and topic first (a clear error within
     * seconds, not a hang). {@code fromStart}: a group without committed offsets starts at the topic's beginning.
     */
    public static KafkaSource forDetect(String source, Path kafkaConfig, int maxLineBytes, boolean fromStart, boolean once,
                                        Hooks hooks, Consumer<String> notices) {
        return open(KafkaUri.parse(source, "source"), KafkaClients.load(kafkaConfig), DETECT_GROUP,
                fromStart ? "earliest" : "latest", maxLineBytes, once, hooks, notices);
    }

    /** A source on {@code uri} with the given defaults for what the URI leaves out. */
    static KafkaSource open(KafkaUri uri, Properties user, String defaultGroup, String defaultFrom, int maxLineBytes,
                            boolean once, Hooks hooks, Consumer<String> notices) {
        int partitions = KafkaClients.checkTopic(uri, user, "source");
        Properties props = KafkaClients.consumer(uri, user, defaultGroup, defaultFrom, notices);
        try {
            var c = new KafkaConsumer<byte[], byte[]>(props);
            String group = props.getProperty("group.id");
            notices.accept("kafka: joining group " + group + " on " + uri.topic() + " (" + partitions + " partitions) at "
                    + uri.bootstrap() + (props.containsKey("group.instance.id") ? " as static member " + props.get("group.instance.id") : ""));
            return new KafkaSource(c, uri, group, maxLineBytes, once, hooks, notices);
        } catch (KafkaException e) {
            throw KafkaClients.explain(e, uri, "source");
        }
    }

    @Override
    public void run(Sink sink) throws Exception {
        boolean ok = false;
        try {
            consumer.subscribe(List.of(uri.topic()), new Listener());
            while (!closed) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
                handle(batch, sink);
                if (dirty && !closed) commit();
                if (once && batch.isEmpty() && caughtUp()) break;
            }
            ok = true;
        } catch (WakeupException e) {
            ok = true; // close() woke the poll: a normal end
        } catch (KafkaException e) {
            if (e.getCause() instanceof SentinelException se) throw se; // from a hook inside a rebalance callback
            throw KafkaClients.explain(e, uri, "source");
        } finally {
            failed = !ok;
            finish();
        }
    }

    private void handle(ConsumerRecords<byte[], byte[]> batch, Sink sink) throws Exception {
        for (TopicPartition tp : batch.partitions()) {
            String prefix = tp.topic() + "-" + tp.partition() + "@";
            long next = -1;
            try {
                for (ConsumerRecord<byte[], byte[]> r : batch.records(tp)) {
                    if (closed) break;
                    if (r.value() != null) {
                        String line = text(r.value(), maxLineBytes);
                        track(tp, r.key(), line, prefix, r.offset());
                        sink.accept(line, prefix + r.offset());
                    }
                    next = r.offset() + 1;
                }
            } finally {
                if (next >= 0) {
                    processed.put(tp, new OffsetAndMetadata(next));
                    dirty = true;
                }
            }
            if (closed) return;
        }
    }

    /** The record's text: trailing newlines dropped, cut at {@code max} bytes (on a character boundary) and marked. */
    static String text(byte[] v, int max) {
        int len = v.length;
        while (len > 0 && (v[len - 1] == '\n' || v[len - 1] == '\r')) len--;
        if (len <= max) return new String(v, 0, len, StandardCharsets.UTF_8);
        int cut = max;
        while (cut > 0 && (v[cut] & 0xC0) == 0x80) cut--;
        return new String(v, 0, cut, StandardCharsets.UTF_8) + LineSplitter.marker(len - cut);
    }

    /** Remembers which clients each partition brought, so their state can be dropped when it leaves. */
    private void track(TopicPartition tp, byte[] rawKey, String line, String prefix, long offset) {
        if (hooks.window() == null) return;
        if (rawKey == null) {
            if (!warnedUnkeyed) {
                warnedUnkeyed = true;
                notices.accept("kafka: warning: records in " + uri.topic() + " have no key (first at " + prefix + offset + "), so one"
                        + " client's lines can reach different detectors and per-client windows are approximate; set the"
                        + " log shipper's message key to the client IP (README, Many servers)");
            }
            return;
        }
        String key = new String(rawKey, StandardCharsets.UTF_8);
        if (!warnedKey && !(line.startsWith(key) && (line.length() == key.length() || line.charAt(key.length()) == ' '))) {
            warnedKey = true;
            notices.accept("kafka: warning: the key of " + prefix + offset + " ('" + Printable.excerpt(key, 60) + "') is not the"
                    + " client address that starts its line; per-client windows are exact only when records are keyed by client IP");
        }
        Set<String> seen = clientsSeen.computeIfAbsent(tp, k -> new HashSet<>());
        if (seen.size() < MAX_TRACKED_CLIENTS || seen.contains(key)) seen.add(key);
        else overflowed.add(tp);
    }

    private boolean caughtUp() {
        if (!joined) return false;
        Set<TopicPartition> mine = consumer.assignment();
        if (mine.isEmpty()) return true;
        Map<TopicPartition, Long> end = consumer.endOffsets(mine, COMMIT_TIMEOUT);
        for (TopicPartition tp : mine) {
            if (consumer.position(tp, COMMIT_TIMEOUT) < end.getOrDefault(tp, 0L)) return false;
        }
        return true;
    }

    private void commit() {
        hooks.beforeCommit().run();
        consumer.commitAsync(new HashMap<>(processed), (offsets, e) -> {
            if (e != null && !warnedCommit) {
                warnedCommit = true;
                notices.accept("kafka: a commit failed (" + e.getClass().getSimpleName() + "); later commits cover its lines");
            }
        });
        dirty = false;
    }

    /** Commits {@code offsets} now; a wakeup from close() is retried once so a shutdown still records progress. */
    private void commitNow(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty() || failed) return;
        hooks.beforeCommit().run();
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
        } catch (WakeupException e) {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
        }
    }

    private void finish() {
        try {
            commitNow(processed);
            processed.clear();
        } catch (RuntimeException e) {
            if (e instanceof SentinelException) throw e;
            notices.accept("kafka: the last commit failed (" + e.getClass().getSimpleName() + "): lines after the previous"
                    + " commit will be judged again by the next reader");
        } finally {
            try {
                consumer.close(CloseOptions.timeout(COMMIT_TIMEOUT));
            } catch (RuntimeException ignored) {
                // closing is best effort: the group coordinator notices a vanished member by its session timeout
            }
        }
    }

    /** Stops {@link #run} after the line in hand; its progress is committed. Safe from any thread. */
    @Override
    public void close() {
        closed = true;
        try {
            consumer.wakeup();
        } catch (RuntimeException alreadyClosed) {
            // nothing to wake
        }
    }

    /** Drops per-client state of partitions that left and did not come back. */
    private void forgetLeft() {
        ClientWindow clients = hooks.window();
        Set<TopicPartition> now = consumer.assignment();
        boolean clearAll = false;
        for (TopicPartition tp : leaving) {
            if (now.contains(tp)) continue; // nobody else read it in between: its clients' state is still right
            Set<String> keys = clientsSeen.remove(tp);
            clearAll |= overflowed.remove(tp);
            if (clients != null && keys != null) keys.forEach(clients::forget);
        }
        leaving.clear();
        if (clearAll && clients != null) {
            clients.clear(); // too many clients were tracked to forget them one by one
            clientsSeen.clear();
        }
    }

    private static String partitions(Collection<TopicPartition> tps) {
        return tps.stream().map(TopicPartition::partition).sorted().toList().toString();
    }

    /** Commits on revocation, forgets on reassignment: Kafka calls these inside poll(), on this source's thread. */
    private final class Listener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> parts) {
            Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>();
            for (TopicPartition tp : parts) if (processed.containsKey(tp)) mine.put(tp, processed.get(tp));
            try {
                commitNow(mine);
            } catch (KafkaException e) {
                notices.accept("kafka: could not commit " + uri.topic() + " partitions " + partitions(mine.keySet()) + " before"
                        + " handing them over (" + e.getClass().getSimpleName() + "); their next reader judges those lines again");
            }
            processed.keySet().removeAll(parts);
            leaving.addAll(parts);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> parts) {
            notices.accept("kafka: lost " + uri.topic() + " partitions " + partitions(parts) + " (this member was presumed dead);"
                    + " lines after the last commit are judged again by their new reader");
            processed.keySet().removeAll(parts);
            leaving.addAll(parts);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> added) {
            joined = true;
            forgetLeft();
            Set<TopicPartition> now = consumer.assignment();
            notices.accept(now.isEmpty()
                    ? "kafka: no partitions for this member of group " + group + ": the group has more members than " + uri.topic() + " has partitions"
                    : "kafka: now reading " + uri.topic() + " partitions " + partitions(now) + " as group " + group);
            if (hooks.afterAssign() != null) hooks.afterAssign().run();
        }
    }
}
