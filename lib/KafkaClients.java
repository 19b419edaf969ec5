// KafkaClients.java -- builds Sentinel's Kafka client settings, checks a topic before use, and turns client errors into one line.
//DEPS org.apache.kafka:kafka-clients:4.3.1
//DEPS org.slf4j:slf4j-api:2.0.17
package sentinel;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Client settings: the --kafka-config file (TLS, SASL, timeouts) passed through, then what Sentinel's
 * guarantees need on top (manual commits, idempotent {@code acks=all} producer), which the file cannot undo.
 * Secrets in that file are never printed.
 */
public final class KafkaClients {
    private KafkaClients() {}

    /** How long start-up waits for the brokers before saying they cannot be reached. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The --kafka-config properties file, or empty settings for null. Throws SentinelException (exit 2) when unreadable. */
    public static Properties load(Path file) {
        Properties p = new Properties();
        if (file == null) return p;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (java.nio.file.NoSuchFileException e) {
            throw SentinelException.badInput("kafka_config: " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw SentinelException.badInput("kafka_config: cannot read " + file + ": " + e.getMessage());
        }
        return p;
    }

    /** Consumer settings: no auto-commit (Sentinel commits after each verdict is out), raw bytes, no topic auto-creation. */
    static Properties consumer(KafkaUri uri, Properties user, String defaultGroup, String defaultFrom, Consumer<String> notices) {
        Properties p = copy(user);
        p.put("bootstrap.servers", uri.bootstrap());
        p.put("group.id", uri.groupOr(user.getProperty("group.id", defaultGroup)));
        if (uri.instance() != null) p.put("group.instance.id", uri.instance());
        p.put("auto.offset.reset", uri.fromOr(user.getProperty("auto.offset.reset", defaultFrom)));
        if ("true".equalsIgnoreCase(user.getProperty("enable.auto.commit", "false").strip())) {
            notices.accept("kafka: ignoring enable.auto.commit=true in kafka_config: offsets are committed after each verdict is out");
        }
        p.put("enable.auto.commit", "false");
        p.put("allow.auto.create.topics", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Producer settings: idempotent, {@code acks=all}, so an alert handed over survives a broker failover once. */
    static Properties producer(KafkaUri uri, Properties user) {
        Properties p = copy(user);
        p.put("bootstrap.servers", uri.bootstrap());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.putIfAbsent("linger.ms", "5");
        p.putIfAbsent("max.block.ms", String.valueOf(CONNECT_TIMEOUT.toMillis()));
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        return p;
    }

    static Properties admin(KafkaUri uri, Properties user) {
        Properties p = copy(user);
        p.put("bootstrap.servers", uri.bootstrap());
        p.put("default.api.timeout.ms", String.valueOf(CONNECT_TIMEOUT.toMillis()));
        p.put("request.timeout.ms", String.valueOf(CONNECT_TIMEOUT.toMillis() / 2));
        return p;
    }

    private static Properties copy(Properties user) {
        Properties p = new Properties();
        p.putAll(user);
        return p;
    }

    /**
     * Checks that the brokers answer and the topic exists, within {@link #CONNECT_TIMEOUT}; returns its partition
     * count. Throws SentinelException: exit 1 when the brokers cannot be reached, exit 2 when the topic is missing.
     */
    public static int checkTopic(KafkaUri uri, Properties user, String what) {
        try (Admin admin = Admin.create(admin(uri, user))) {
            TopicDescription d = admin.describeTopics(List.of(uri.topic())).allTopicNames()
                    .get(CONNECT_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS).get(uri.topic());
            return d.partitions().size();
        } catch (ExecutionException e) {
            throw explain(e.getCause(), uri, what);
        } catch (java.util.concurrent.TimeoutException e) {
            throw explain(new org.apache.kafka.common.errors.TimeoutException(e.getMessage()), uri, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SentinelException.failure("interrupted while connecting to Kafka", e);
        } catch (KafkaException e) {
            throw explain(e, uri, what);
        }
    }

    /** One line for a Kafka client error, naming the brokers and topic (never the kafka_config secrets). */
    static SentinelException explain(Throwable e, KafkaUri uri, String what) {
        String where = uri.bootstrap();
        // "Failed to construct kafka consumer" and the like wrap the informative cause
        while (e != null && e.getClass() == KafkaException.class && e.getCause() != null) e = e.getCause();
        if (e instanceof UnknownTopicOrPartitionException) {
            return SentinelException.badInput(what + ": topic '" + uri.topic() + "' does not exist on " + where
                    + " (create it first, e.g. with 4 partitions; see README, Many servers)");
        }
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return SentinelException.failure("cannot reach a Kafka broker at " + where + " (" + what + ") within "
                    + CONNECT_TIMEOUT.toSeconds() + " s: is it running, and are the address and kafka_config (TLS/SASL) right?", e);
        }
        if (e instanceof AuthenticationException) {
            return SentinelException.failure("Kafka at " + where + " refused the credentials in kafka_config: " + firstLine(e.getMessage()), e);
        }
        if (e instanceof AuthorizationException) {
            return SentinelException.failure("Kafka at " + where + " does not allow this on topic '" + uri.topic() + "': "
                    + firstLine(e.getMessage()), e);
        }
        if (e instanceof org.apache.kafka.common.config.ConfigException) {
            return SentinelException.badInput(what + " / kafka_config: " + firstLine(e.getMessage()));
        }
        return SentinelException.failure("Kafka (" + where + ", topic '" + uri.topic() + "'): "
                + (e == null ? "unknown error" : e.getClass().getSimpleName() + ": " + firstLine(e.getMessage())), e);
    }

    private static String firstLine(String s) {
        if (s == null) return "no details";
        int nl = s.indexOf('\n');
        return Printable.excerpt(nl < 0 ? s : s.substring(0, nl), 300);
    }
}
