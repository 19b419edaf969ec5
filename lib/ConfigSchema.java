// ConfigSchema.java -- the single list of config.yaml keys: names, types, defaults and documentation.
package sentinel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every key Sentinel reads from config.yaml, the environment or the command line, in file order. */
public final class ConfigSchema {
    private ConfigSchema() {}

    public static final String PLACEHOLDER_WEBHOOK = "https://hooks.slack.com/services/" + AlertSettings.PLACEHOLDER_MARK;

    public static final List<ConfigKey> KEYS = List.of(
        key("log_file", ConfigKey.Type.PATH, "logs/access.log", "Access log detect.java follows; '-' reads standard input."),
        key("train_file", ConfigKey.Type.PATH, "logs/train_logs.txt", "Normal traffic train.java learns from."),
        key("model_file", ConfigKey.Type.PATH, "models/anomaly_model.bin", "Where the trained model is saved and loaded."),
        key("sleep_interval", ConfigKey.Type.POSITIVE_SECONDS, "0.2", "Seconds between checks of the log when file notifications are unavailable."),
        key("slack_webhook", ConfigKey.Type.SECRET, PLACEHOLDER_WEBHOOK, "Slack incoming-webhook URL (secret; env SLACK_WEBHOOK_URL overrides). The placeholder means alerts are off."),
        key("contamination", ConfigKey.Type.CONTAMINATION, "0.001", "Expected share of anomalies: lines scoring above the (1 - contamination) quantile of training scores are flagged; 'auto' uses the paper's 0.5 cut."),
        key("score_threshold", ConfigKey.Type.SCORE, "none", "A fixed score cut in (0, 1) that overrides contamination; empty or 'none' to use contamination."),
        key("trees", ConfigKey.Type.POSITIVE_INT, "100", "Number of isolation trees."),
        key("sample_size", ConfigKey.Type.POSITIVE_INT, "256", "Rows drawn for each tree (the Isolation Forest paper uses 256)."),
        key("seed", ConfigKey.Type.LONG, "42", "Random seed: the same data and seed give the same model."),
        key("log_format", ConfigKey.Type.LOG_FORMAT, "auto", "auto (any of the next), combined, common, seed (the course's short form), nginx-json (escape=json objects) or custom (log_pattern)."),
        key("log_pattern", ConfigKey.Type.LOG_PATTERN, null, "For log_format custom: a regex with named groups ip, status and request (or method/path/query/protocol); optional time, bytes, referrer, agent."),
        key("max_line_bytes", ConfigKey.Type.POSITIVE_INT, "65536", "Longer lines are cut and marked instead of filling memory."),
        key("state_file", ConfigKey.Type.PATH, null, "Checkpoint file: detect resumes here after a restart (empty: no checkpoints)."),
        key("source", ConfigKey.Type.STRING, null, "Read lines from Kafka instead of log_file: kafka://host:port[,host:port]/topic?group=NAME&from=earliest|latest (empty: log_file)."),
        key("alerts_to", ConfigKey.Type.STRING, null, "Publish anomalies to this Kafka topic (kafka://host:port/topic) for one 'alert.java --source' to post, instead of posting to Slack."),
        key("kafka_config", ConfigKey.Type.PATH, null, "Kafka client properties file (TLS, SASL, timeouts) passed through to the client; keep its secrets there."),
        key("retrain_every", ConfigKey.Type.DURATION, null, "Live detect retrains this often, in the background, on the recent normal lines it judged and swaps the new model in (empty: off; at least 1s)."),
        key("retrain_lines", ConfigKey.Type.POSITIVE_INT, "50000", "How many of the most recent normal lines background retraining keeps and learns from (about 1.5 KB of heap each while training)."),
        key("alert.enabled", ConfigKey.Type.BOOL, "true", "Send anomalies to the webhook (when one is configured)."),
        key("alert.group_window", ConfigKey.Type.DURATION, "30s", "Anomalies after the first of a burst are summarised in one message per window."),
        key("alert.realert", ConfigKey.Type.DURATION, "5m", "The same client and path are not alerted again within this time."),
        key("alert.min_score", ConfigKey.Type.FRACTION, "0", "Only anomalies scoring at least this are sent (0: every anomaly)."),
        key("alert.timeout", ConfigKey.Type.DURATION, "10s", "Connect and read timeout for one webhook call."),
        key("alert.max_queue", ConfigKey.Type.POSITIVE_INT, "1000", "Alerts waiting to be sent; beyond this they are dropped and counted.")
    );

    private static final Map<String, ConfigKey> BY_NAME = new LinkedHashMap<>();

    static {
        for (ConfigKey k : KEYS) BY_NAME.put(k.name(), k);
    }

    private static ConfigKey key(String name, ConfigKey.Type type, String def, String doc) {
        return new ConfigKey(name, type, def, doc);
    }

    /** The key with this dotted name, or null. */
    public static ConfigKey find(String name) {
        return BY_NAME.get(name);
    }

    /** Top-level section names ({@code alert}). */
    public static boolean isSection(String name) {
        return KEYS.stream().anyMatch(k -> k.name().startsWith(name + "."));
    }

    /** The closest known key to a misspelt one (edit distance at most 3), or null. */
    public static String suggest(String unknown) {
        String best = null;
        int bestDistance = 4;
        for (ConfigKey k : KEYS) {
            for (String candidate : new String[] {k.name(), k.name().substring(k.name().indexOf('.') + 1)}) {
                int d = distance(unknown.toLowerCase(), candidate);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = k.name();
                }
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
