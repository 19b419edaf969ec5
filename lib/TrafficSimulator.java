// TrafficSimulator.java -- generates realistic, labelled web-server access-log lines for demos, training and benchmarks.
package sentinel;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import sentinel.SiteModel.Hit;

/**
 * Generates nginx access-log lines for a small online shop, each labelled normal or with its anomaly kind.
 *
 * <p>Normal traffic: a few hundred returning visitors (mostly IPv4, some IPv6, each with one current browser)
 * browse pages with Zipf-like popularity; each page pulls its CSS, JS and images (304 once cached) and API
 * calls, with referrers from search engines or the site; a few stale links give 404s, old URLs 301s; Googlebot
 * and Bingbot read robots.txt and pages; uptime monitors poll. Anomalies ({@link Kind}) come in short bursts of
 * consecutive lines from one attacker address and tool, chosen so that about {@code anomalyRate} of the lines
 * are anomalous; error bursts and huge responses instead hit ordinary visitors.
 *
 * <p>Output depends only on the seed and the sequence of times passed to {@link #next}: the same seed and times
 * give the same lines. Not thread-safe.
 *
 * <p>{@code logs/train_logs.txt} (20,000 normal combined lines, 4.8 MB) was produced by
 * {@code writeBatch(42, 0.0, LogFormat.COMBINED, Instant.parse("2025-11-27T00:00:00Z"), 20.0, 20_000, out)}
 * from a scratch JBang script ({@code //SOURCES lib/*.java}); TrafficSimulatorTest checks that it still does,
 * byte for byte, so any change to the generated traffic must come with a regenerated file.
 */
public final class TrafficSimulator {

    /** One generated line and its label. kind is "normal" or the anomaly kind name. */
    public record Event(String line, boolean anomaly, String kind) {}

    /** Anomaly kinds, each a realistic attack pattern. */
    public enum Kind { PROBE, SQL_INJECTION, XSS, PATH_TRAVERSAL, SCANNER, ERROR_BURST, HUGE_RESPONSE, ODD_METHOD }

    /** The {@link Event#kind()} of a normal line. */
    public static final String NORMAL = "normal";

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private final LogFormat format;
    private final double burstChance;
    private final SplittableRandom decisions;
    private final NormalTraffic normal;
    private final AttackTraffic attacks;
    private final StringBuilder line = new StringBuilder(512);
    private long stampSecond = Long.MIN_VALUE;
    private String stamp;
    private long stampDay = Long.MIN_VALUE;
    private String day;

    /**
     * A simulator writing {@code format} lines (COMBINED, COMMON, SEED or NGINX_JSON) where each line is anomalous with
     * probability about {@code anomalyRate} (0 to 1). Throws SentinelException (bad input) otherwise.
     */
    public TrafficSimulator(long seed, double anomalyRate, LogFormat format) {
        if (!(anomalyRate >= 0 && anomalyRate <= 1)) {
            throw SentinelException.badInput("the anomaly rate must be between 0 and 1, not " + anomalyRate);
        }
        if (format == null || format == LogFormat.AUTO || format == LogFormat.CUSTOM) {
            throw SentinelException.badInput("the simulator writes combined, common, seed or nginx-json lines, not "
                    + (format == null ? null : format.configName()));
        }
        this.format = format;
        // Bursts start with a chance that makes (burst lines) / (all lines) equal the rate on average.
        double mean = AttackTraffic.meanBurst();
        this.burstChance = anomalyRate == 0 ? 0 : anomalyRate / (anomalyRate + mean * (1 - anomalyRate));
        // Separate streams: the normal background does not change with the anomaly rate.
        SplittableRandom root = new SplittableRandom(seed);
        this.decisions = root.split();
        this.normal = new NormalTraffic(root.split(), Set.copyOf(AttackCatalog.IPS));
        this.attacks = new AttackTraffic(root.split(), normal);
    }

    /** The next line, stamped with {@code time}; deterministic given the seed and the sequence of times. */
    public Event next(Instant time) {
        Objects.requireNonNull(time, "time");
        if (attacks.active() || (burstChance > 0 && decisions.nextDouble() < burstChance)) {
            if (!attacks.active()) attacks.start();
            String kind = attacks.kind().name();
            return new Event(format(attacks.next(), time.getEpochSecond()), true, kind);
        }
        return new Event(format(normal.next(), time.getEpochSecond()), false, NORMAL);
    }

    /**
     * Writes {@code count} lines, each followed by '\n', to {@code out}: the first at {@code start}, then about
     * {@code linesPerSecond} per second (each gap 0.5 to 1.5 times the mean, drawn from a generator seeded with
     * {@code ~seed}, so times never go backwards). Returns how many lines were anomalous.
     */
    public static long writeBatch(long seed, double anomalyRate, LogFormat format, Instant start,
                                  double linesPerSecond, long count, Appendable out) throws IOException {
        if (!(linesPerSecond > 0)) throw SentinelException.badInput("lines per second must be positive, not " + linesPerSecond);
        TrafficSimulator sim = new TrafficSimulator(seed, anomalyRate, format);
        SplittableRandom jitter = new SplittableRandom(~seed);
        double meanGapNanos = 1e9 / linesPerSecond;
        long offsetNanos = 0;
        long anomalies = 0;
        for (long i = 0; i < count; i++) {
            Event e = sim.next(start.plusNanos(offsetNanos));
            out.append(e.line()).append('\n');
            if (e.anomaly()) anomalies++;
            offsetNanos += (long) (meanGapNanos * (0.5 + jitter.nextDouble()));
        }
        return anomalies;
    }

    private String format(Hit h, long epochSecond) {
        StringBuilder sb = line;
        sb.setLength(0);
        if (format == LogFormat.NGINX_JSON) return json(h, epochSecond, sb);
        sb.append(h.ip()).append(" - - [").append(stamp(epochSecond)).append("] \"")
                .append(h.method()).append(' ').append(h.target()).append(' ').append(h.protocol()).append("\" ")
                .append(h.status()).append(' ').append(h.bytes());
        if (format == LogFormat.COMBINED) {
            sb.append(" \"").append(h.referrer()).append("\" \"").append(h.userAgent()).append('"');
        }
        return sb.toString();
    }

    /** The line nginx writes with {@code log_format json escape=json} and the variables of combined. */
    private String json(Hit h, long epochSecond, StringBuilder sb) {
        sb.append("{\"time_local\":\"").append(stamp(epochSecond)).append("\",\"remote_addr\":\"").append(h.ip())
                .append("\",\"remote_user\":\"\",\"request\":\"");
        jsonText(sb, h.method() + ' ' + h.target() + ' ' + h.protocol()).append("\",\"status\":\"").append(h.status())
                .append("\",\"body_bytes_sent\":\"").append(h.bytes()).append("\",\"http_referer\":\"");
        jsonText(sb, h.referrer().equals("-") ? "" : h.referrer()).append("\",\"http_user_agent\":\"");
        return jsonText(sb, h.userAgent().equals("-") ? "" : h.userAgent()).append("\"}").toString();
    }

    /** nginx's escape=json: quote and backslash escaped, control characters as \\u00XX. */
    private static StringBuilder jsonText(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb;
    }

    /** nginx's {@code dd/MMM/yyyy:HH:mm:ss +0000}, or the seed format's {@code dd/MMM/yyyy}; cached per second. */
    private String stamp(long epochSecond) {
        if (epochSecond == stampSecond) return stamp;
        long d = Math.floorDiv(epochSecond, 86_400L);
        if (d != stampDay) {
            LocalDate date = LocalDate.ofEpochDay(d);
            int dom = date.getDayOfMonth();
            day = (dom < 10 ? "0" : "") + dom + "/" + MONTHS[date.getMonthValue() - 1] + "/" + date.getYear();
            stampDay = d;
        }
        if (format == LogFormat.SEED) {
            stamp = day;
        } else {
            int s = (int) Math.floorMod(epochSecond, 86_400L);
            StringBuilder sb = new StringBuilder(26).append(day).append(':');
            two(sb, s / 3600).append(':');
            two(sb, s / 60 % 60).append(':');
            stamp = two(sb, s % 60).append(" +0000").toString();
        }
        stampSecond = epochSecond;
        return stamp;
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
