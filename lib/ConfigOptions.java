// ConfigOptions.java -- the picocli mixin every script shares: --config, --print-config and one override per config key.
//DEPS info.picocli:picocli:4.7.7
package sentinel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Shared options that locate config.yaml and override its keys (command line > environment > file > defaults). */
public class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "<file>",
            description = "Configuration file (default: config.yaml in the working directory, if present).")
    Path config;

    @Option(names = "--print-config", description = "Print the effective settings (secrets redacted) and exit.")
    boolean printConfig;

    private final Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--log-file", paramLabel = "<file>", description = "Access log to follow ('-' for standard input).")
    void logFile(String v) { overrides.put("log_file", v); }

    @Option(names = "--train-file", paramLabel = "<file>", description = "Normal traffic to train on.")
    void trainFile(String v) { overrides.put("train_file", v); }

    @Option(names = "--model-file", paramLabel = "<file>", description = "Model file to save or load.")
    void modelFile(String v) { overrides.put("model_file", v); }

    @Option(names = "--sleep-interval", paramLabel = "<seconds>", description = "Polling interval when file notifications are unavailable.")
    void sleepInterval(String v) { overrides.put("sleep_interval", v); }

    @Option(names = "--contamination", paramLabel = "<share>", description = "Expected share of anomalies in (0, 0.5], or 'auto'.")
    void contamination(String v) { overrides.put("contamination", v); }

    @Option(names = "--score-threshold", paramLabel = "<score>", description = "Fixed score cut in (0, 1) overriding contamination.")
    void scoreThreshold(String v) { overrides.put("score_threshold", v); }

    @Option(names = "--trees", paramLabel = "<n>", description = "Number of isolation trees.")
    void trees(String v) { overrides.put("trees", v); }

    @Option(names = "--sample-size", paramLabel = "<n>", description = "Rows drawn for each tree.")
    void sampleSize(String v) { overrides.put("sample_size", v); }

    @Option(names = "--seed", paramLabel = "<n>", description = "Random seed for training and simulation.")
    void seed(String v) { overrides.put("seed", v); }

    @Option(names = "--log-format", paramLabel = "<format>", description = "auto, combined, common, seed, nginx-json or custom.")
    void logFormat(String v) { overrides.put("log_format", v); }

    @Option(names = "--log-pattern", paramLabel = "<regex>", description = "For --log-format custom: a regex with named groups (?<ip>..), (?<status>..), (?<request>..).")
    void logPattern(String v) { overrides.put("log_pattern", v); }

    @Option(names = "--max-line-bytes", paramLabel = "<n>", description = "Longer lines are cut and marked.")
    void maxLineBytes(String v) { overrides.put("max_line_bytes", v); }

    @Option(names = {"--state", "--state-file"}, paramLabel = "<file>", description = "Checkpoint file to resume from after a restart.")
    void stateFile(String v) { overrides.put("state_file", v); }

    @Option(names = "--source", paramLabel = "<kafka://...>", description = "Read lines from Kafka: kafka://host:port[,host:port]/topic?group=NAME&from=earliest|latest.")
    void source(String v) { overrides.put("source", v); }

    @Option(names = "--alerts-to", paramLabel = "<kafka://...>", description = "Publish anomalies to this Kafka topic instead of posting to Slack.")
    void alertsTo(String v) { overrides.put("alerts_to", v); }

    @Option(names = "--kafka-config", paramLabel = "<file>", description = "Kafka client properties (TLS, SASL) passed through to the client.")
    void kafkaConfig(String v) { overrides.put("kafka_config", v); }

    @Option(names = "--retrain-every", paramLabel = "<duration>", description = "Live detect: retrain on the recent normal lines this often (e.g. 1h) and swap the model in.")
    void retrainEvery(String v) { overrides.put("retrain_every", v); }

    @Option(names = "--retrain-lines", paramLabel = "<n>", description = "How many recent normal lines --retrain-every keeps and learns from.")
    void retrainLines(String v) { overrides.put("retrain_lines", v); }

    /** Loads the effective configuration; throws SentinelException (exit 2) on a bad file or value. */
    public Config load() {
        Path file = config != null ? config : Path.of("config.yaml");
        return Config.load(file, config != null, System.getenv(), overrides);
    }

    /** True when --print-config was given. */
    public boolean printConfig() {
        return printConfig;
    }
}
