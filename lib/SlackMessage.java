// SlackMessage.java -- one Slack incoming-webhook payload: a plain text fallback plus Block Kit blocks.
//DEPS com.fasterxml.jackson.core:jackson-core:2.20.1
package sentinel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An alert as Slack's incoming webhooks take it. Every value from a log line goes through {@link SlackText}
 * and each piece has its own size budget, so no block passes Slack's limits (section text 3,000, field
 * 2,000, 50 blocks) whatever the line holds. Link and media unfurling are off: Slack never fetches a URL
 * that an attacker put in a path. Slack-compatible servers (Mattermost, Rocket.Chat) read {@code text}.
 */
public final class SlackMessage {
    private static final JsonFactory JSON = new JsonFactory();
    /** How many of a verdict's reasons are shown. */
    static final int MAX_REASONS = 5;
    static final int MAX_TALLIES = 5;

    private final String text;
    private final String json;

    private SlackMessage(String text, List<Block> blocks) {
        this.text = text;
        this.json = write(text, blocks);
    }

    /** The alert for one anomalous line, detected now. */
    public static SlackMessage forAnomaly(Verdict v, String host, String logFile) {
        return forAnomaly(v, host, logFile, Instant.now());
    }

    /** The alert for one anomalous line; {@code detectedAt} is shown as the detection time. */
    public static SlackMessage forAnomaly(Verdict v, String host, String logFile, Instant detectedAt) {
        AccessRecord r = v.record() != null ? v.record()
                : new AccessRecord("", -1, "", "", v.line() == null ? "" : v.line(), "", "", 0, 0, "", "", "");
        String score = score(v.score()) + " ≥ threshold " + score(v.threshold());
        String text = "🚨 Anomaly on " + SlackText.plain(host, 100) + ": " + SlackText.code(r.ip(), 60) + " "
                + SlackText.code(r.method(), 20) + " " + SlackText.code(r.target(), 300) + " → " + r.status()
                + ", score " + score;
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Section("*🚨 Anomaly detected* on " + SlackText.code(host, 100) + ": score *" + score + "*"));
        blocks.add(new Fields(List.of(
                "*Client*\n" + SlackText.code(r.ip(), 100),
                "*Method*\n" + SlackText.code(r.method(), 100),
                "*Status*\n" + r.status(),
                "*Bytes*\n" + String.format(Locale.ROOT, "%,d", r.bytes()),
                "*Logged at*\n" + SlackText.code(r.time(), 100),
                "*Verdict*\nanomaly (" + score + ")")));
        blocks.add(new Section("*Path*\n" + SlackText.code(r.target(), 2_900)));
        if (!v.reasons().isEmpty()) blocks.add(new Section("*Why it is unusual* (value vs. training range)\n" + reasons(v)));
        if (!r.userAgent().isEmpty()) blocks.add(new Section("*User agent*\n" + SlackText.code(r.userAgent(), 1_000)));
        blocks.add(new Context(where(host, logFile, v) + " · detected " + instant(detectedAt)));
        return new SlackMessage(text, blocks);
    }

    /** The message that stands for the anomalies grouped after the first of a burst. */
    public static SlackMessage summary(AlertSummary s, String host, String logFile) {
        String clients = s.clients() + (s.clientsCapped() ? "+" : "") + (s.clients() == 1 && !s.clientsCapped() ? " client" : " clients");
        String head = s.count() + " more " + (s.count() == 1 ? "anomaly" : "anomalies") + " from " + clients;
        String text = "📦 " + head + " on " + SlackText.plain(host, 100) + ": top paths " + tallies(s.topPaths(), ", ", 100);
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Section("*📦 " + head + "* on " + SlackText.code(host, 100) + " between " + instant(s.first())
                + " and " + instant(s.last()) + " (grouped after the first alert of this burst)"));
        blocks.add(new Fields(List.of(
                "*Top paths*\n" + tallies(s.topPaths(), "\n", 300),
                "*Top clients*\n" + tallies(s.topClients(), "\n", 100))));
        blocks.add(new Context("highest score " + score(s.maxScore()) + " (threshold " + score(s.threshold()) + ") · host "
                + SlackText.code(host, 100) + " · log " + SlackText.code(logFile, 300)));
        return new SlackMessage(text, blocks);
    }

    /** A test message from {@code alert.java}: the operator's text, escaped so it arrives exactly as typed. */
    public static SlackMessage test(String text, String host) {
        String body = SlackText.plain(text, 2_500);
        String fallback = "🔔 Sentinel test alert from " + SlackText.plain(host, 100) + ": " + SlackText.plain(text, 2_000);
        List<Block> blocks = List.of(
                new Section("*🔔 Sentinel test alert* from " + SlackText.code(host, 100) + "\n" + body),
                new Context("sent " + instant(Instant.now()) + " by alert.java"));
        return new SlackMessage(fallback, blocks);
    }

    /** The payload to POST, as compact JSON. */
    public String toJson() {
        return json;
    }

    /** The plain fallback text Slack shows in notifications. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    private static String reasons(Verdict v) {
        StringBuilder sb = new StringBuilder();
        for (Verdict.Contribution c : v.reasons().subList(0, Math.min(MAX_REASONS, v.reasons().size()))) {
            if (sb.length() > 0) sb.append('\n');
            sb.append("• ").append(SlackText.code(c.feature(), 80)).append(" = ").append(number(c.value()))
                    .append(" (training ").append(number(c.typicalLow())).append(" – ").append(number(c.typicalHigh())).append(')');
        }
        return sb.toString();
    }

    private static String where(String host, String logFile, Verdict v) {
        String line = v.lineNo() > 0 ? " line " + v.lineNo() : "";
        return "host " + SlackText.code(host, 100) + " · log " + SlackText.code(logFile, 300) + line;
    }

    private static String tallies(List<AlertSummary.Tally> ts, String sep, int each) {
        if (ts.isEmpty()) return SlackText.EMPTY;
        StringBuilder sb = new StringBuilder();
        for (AlertSummary.Tally t : ts.subList(0, Math.min(MAX_TALLIES, ts.size()))) {
            if (sb.length() > 0) sb.append(sep);
            sb.append(SlackText.code(t.value(), each)).append(" ×").append(t.count());
        }
        return sb.toString();
    }

    static String score(double s) {
        return Double.isFinite(s) ? String.format(Locale.ROOT, "%.3f", s) : SlackText.EMPTY;
    }

    /** Compact numbers: integers without a fraction, others with three decimals at most. */
    static String number(double x) {
        if (!Double.isFinite(x)) return SlackText.EMPTY;
        if (x == Math.rint(x) && Math.abs(x) < 1e15) return Long.toString((long) x);
        String s = String.format(Locale.ROOT, Math.abs(x) >= 100 ? "%.1f" : "%.3f", x);
        return s.replaceAll("\\.?0+$", "");
    }

    private static String instant(Instant t) {
        return t == null ? SlackText.EMPTY : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String write(String text, List<Block> blocks) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("text", text);
            g.writeArrayFieldStart("blocks");
            for (Block b : blocks) b.write(g);
            g.writeEndArray();
            g.writeBooleanField("unfurl_links", false);
            g.writeBooleanField("unfurl_media", false);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** A Block Kit block that writes itself. */
    private interface Block {
        void write(JsonGenerator g) throws IOException;
    }

    private record Section(String text) implements Block {
        public void write(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("type", "section");
            g.writeFieldName("text");
            mrkdwn(g, text);
            g.writeEndObject();
        }
    }

    private record Fields(List<String> items) implements Block {
        public void write(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("type", "section");
            g.writeArrayFieldStart("fields");
            for (String f : items) mrkdwn(g, f);
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private record Context(String text) implements Block {
        public void write(JsonGenerator g) throws IOException {
            g.writeStartObject();
            g.writeStringField("type", "context");
            g.writeArrayFieldStart("elements");
            mrkdwn(g, text);
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** A mrkdwn text object; verbatim stops Slack from turning bare URLs and channel names into links. */
    private static void mrkdwn(JsonGenerator g, String text) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "mrkdwn");
        g.writeStringField("text", text);
        g.writeBooleanField("verbatim", true);
        g.writeEndObject();
    }
}
