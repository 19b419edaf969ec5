// KafkaUri.java -- parses kafka://host:port[,host:port]/topic?group=NAME&from=earliest|latest&instance=ID.
package sentinel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Kafka topic as Sentinel's options name it. {@code group}, {@code from} and {@code instance} are null when
 * the URI leaves them out (the caller's default, or the --kafka-config file, applies). Parsing loads no Kafka
 * classes, so scripts that do not use Kafka do not pay for it.
 */
public record KafkaUri(List<String> servers, String topic, String group, String from, String instance) {
    public static final String SCHEME = "kafka://";
    static final String FORM = "kafka://host:port[,host:port]/topic?group=NAME&from=earliest|latest";

    // Kafka's own rules: topic names are [a-zA-Z0-9._-], at most 249 characters.
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}\\]");

    /** True when {@code text} names a Kafka topic rather than a file. */
    public static boolean isKafka(String text) {
        return text != null && text.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * Parses {@code text}; {@code what} names the option or key in errors (e.g. {@code --source}).
     * Throws SentinelException (exit 2) with a one-line message saying what is wrong.
     */
    public static KafkaUri parse(String text, String what) {
        if (!isKafka(text)) throw bad(what, text, "expected " + FORM);
        String rest = text.strip().substring(SCHEME.length());
        int q = rest.indexOf('?');
        String query = q < 0 ? "" : rest.substring(q + 1);
        String path = q < 0 ? rest : rest.substring(0, q);
        int slash = path.indexOf('/');
        if (slash < 0) throw bad(what, text, "no topic: expected " + FORM);
        List<String> servers = servers(path.substring(0, slash), what, text);
        String topic = path.substring(slash + 1);
        if (topic.endsWith("/")) topic = topic.substring(0, topic.length() - 1);
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw bad(what, text, "the topic must be 1 to 249 of the characters a-z A-Z 0-9 . _ -");
        }
        Map<String, String> params = params(query, what, text);
        String from = params.get("from");
        if (from != null) {
            from = from.toLowerCase(Locale.ROOT);
            if (!from.equals("earliest") && !from.equals("latest")) throw bad(what, text, "from= must be earliest or latest");
        }
        return new KafkaUri(List.copyOf(servers), topic, params.get("group"), from, params.get("instance"));
    }

    private static List<String> servers(String authority, String what, String text) {
        if (authority.isEmpty()) throw bad(what, text, "no broker address: expected " + FORM);
        List<String> out = new ArrayList<>();
        for (String s : authority.split(",", -1)) {
            int colon = s.lastIndexOf(':');
            String host = colon < 0 ? s : s.substring(0, colon);
            if (colon < 0 || !HOST.matcher(host).matches()) throw bad(what, text, "each broker must be host:port, got '" + Printable.excerpt(s, 60) + "'");
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) throw bad(what, text, "the port of '" + Printable.excerpt(s, 60) + "' must be 1 to 65535");
            out.add(host + ":" + port);
        }
        return out;
    }

    private static Map<String, String> params(String query, String what, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query.isEmpty()) return out;
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (!List.of("group", "from", "instance").contains(key)) {
                throw bad(what, text, "unknown parameter '" + Printable.excerpt(key, 40) + "' (known: group, from, instance)");
            }
            if (out.containsKey(key)) throw bad(what, text, key + "= is given twice");
            if (!key.equals("from") && !NAME.matcher(value).matches()) {
                throw bad(what, text, key + "= must be 1 to 200 of the characters a-z A-Z 0-9 . _ : -");
            }
            out.put(key, value);
        }
        return out;
    }

    private static SentinelException bad(String what, String text, String why) {
        return SentinelException.badInput(what + ": " + why + ", got '" + Printable.excerpt(String.valueOf(text), 120) + "'");
    }

    /** The brokers as Kafka's {@code bootstrap.servers} wants them. */
    public String bootstrap() {
        return String.join(",", servers);
    }

    /** The consumer group: the URI's, else {@code fallback}. */
    public String groupOr(String fallback) {
        return group != null ? group : fallback;
    }

    /** Where a group without committed offsets starts: the URI's {@code from}, else {@code fallback}. */
    public String fromOr(String fallback) {
        return from != null ? from : fallback;
    }

    /** The canonical text, e.g. {@code kafka://127.0.0.1:9092/web-logs?group=sentinel}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(SCHEME).append(bootstrap()).append('/').append(topic);
        char sep = '?';
        for (String[] p : new String[][] {{"group", group}, {"from", from}, {"instance", instance}}) {
            if (p[1] == null) continue;
            sb.append(sep).append(p[0]).append('=').append(p[1]);
            sep = '&';
        }
        return sb.toString();
    }
}
