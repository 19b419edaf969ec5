// KafkaAlert.java -- one anomaly as a detector publishes it to the alerts topic and the alerter reads it back (JSON).
//DEPS com.fasterxml.jackson.core:jackson-core:2.20.1
package sentinel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An anomaly on the alerts topic. {@code rule} is the feature that made the line most unusual (its first
 * "why"), or {@code score} when there is none; {@code eventSecond} is the log line's own time (-1: unknown).
 * The record's Kafka key is {@code client}. Both halves of a replay (a detector judging a line again after a
 * crash, or the alerter re-reading) produce the same {@link #dedupeKey}.
 */
public record KafkaAlert(String client, String rule, long eventSecond, long detectedAtMillis, double score, double threshold,
                         String position, String detector, String line, List<Verdict.Contribution> why) {
    static final String TYPE = "sentinel.alert";
    private static final JsonFactory JSON = new JsonFactory();

    /** The alert for an anomalous, parsed verdict seen by {@code detector} at {@code now}. */
    public static KafkaAlert of(Verdict v, String detector, Instant now) {
        AccessRecord r = v.record();
        String rule = v.reasons().isEmpty() ? "score" : v.reasons().get(0).feature();
        return new KafkaAlert(r == null ? "" : r.ip(), rule, r == null ? -1 : r.epochSecond(), now.toEpochMilli(),
                v.score(), v.threshold(), v.position(), detector, v.line(), v.reasons());
    }

    /**
     * {@code client|rule|window}: the alerter posts at most one alert per key, so replays and repeats within one
     * window (of {@code window}, counted on the log's clock) do not alert again.
     */
    public String dedupeKey(Duration window) {
        long seconds = Math.max(1, window.toSeconds());
        long t = eventSecond >= 0 ? eventSecond : detectedAtMillis / 1000;
        return client + "|" + rule + "|" + Math.floorDiv(t, seconds);
    }

    /** The verdict the notifier needs, its record parsed again from the line with {@code parser}. */
    public Verdict toVerdict(AccessLogParser parser) {
        AccessRecord r = parser.parse(line) instanceof ParseResult.Parsed p ? p.record() : null;
        return new Verdict(0, line, r, null, score, threshold, true, null, why, position);
    }

    /** Compact JSON, one object. */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + line.length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", TYPE);
            g.writeStringField("client", client);
            g.writeStringField("rule", rule);
            g.writeNumberField("event_second", eventSecond);
            g.writeNumberField("detected_at_ms", detectedAtMillis);
            g.writeNumberField("score", score);
            g.writeNumberField("threshold", threshold);
            if (position != null) g.writeStringField("position", position);
            g.writeStringField("detector", detector);
            g.writeStringField("line", line);
            g.writeArrayFieldStart("why");
            for (Verdict.Contribution c : why) {
                g.writeStartObject();
                g.writeStringField("feature", c.feature());
                g.writeNumberField("value", c.value());
                g.writeNumberField("usual_low", c.typicalLow());
                g.writeNumberField("usual_high", c.typicalHigh());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads {@link #toJson()} output; throws IllegalArgumentException when {@code text} is not a Sentinel alert. */
    public static KafkaAlert parse(String text) {
        String type = null, client = null, rule = "score", position = null, detector = "", line = null;
        long event = -1, detected = 0;
        double score = Double.NaN, threshold = Double.NaN;
        List<Verdict.Contribution> why = new ArrayList<>();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalArgumentException("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "type" -> type = p.getValueAsString();
                    case "client" -> client = p.getValueAsString();
                    case "rule" -> rule = p.getValueAsString("score");
                    case "event_second" -> event = p.getValueAsLong(-1);
                    case "detected_at_ms" -> detected = p.getValueAsLong(0);
                    case "score" -> score = p.getValueAsDouble(Double.NaN);
                    case "threshold" -> threshold = p.getValueAsDouble(Double.NaN);
                    case "position" -> position = p.getValueAsString();
                    case "detector" -> detector = p.getValueAsString("");
                    case "line" -> line = p.getValueAsString();
                    case "why" -> readWhy(p, t, why);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            throw new IllegalArgumentException("not valid JSON: " + Printable.excerpt(m.lines().findFirst().orElse(m), 100));
        }
        if (!TYPE.equals(type) || client == null || line == null) throw new IllegalArgumentException("not a Sentinel alert");
        return new KafkaAlert(client, rule, event, detected, score, threshold, position, detector, line, List.copyOf(why));
    }

    private static void readWhy(JsonParser p, JsonToken t, List<Verdict.Contribution> why) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String feature = "";
            double value = Double.NaN, low = Double.NaN, high = Double.NaN;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "feature" -> feature = p.getValueAsString("");
                    case "value" -> value = p.getValueAsDouble(Double.NaN);
                    case "usual_low" -> low = p.getValueAsDouble(Double.NaN);
                    case "usual_high" -> high = p.getValueAsDouble(Double.NaN);
                    default -> p.skipChildren();
                }
            }
            why.add(new Verdict.Contribution(feature, value, low, high));
        }
    }
}
