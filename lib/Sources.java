// Sources.java -- picks where detect reads lines from: standard input, the followed log file or a Kafka topic.
package sentinel;

import java.util.function.Consumer;

/** Opens the {@link LineSource} that a configuration names. */
public final class Sources {
    private Sources() {}

    /** Standard input when {@code log_file} is "-", else a {@link LogTailer} on the file. */
    public static LineSource open(TailSettings tail, boolean fromStart, boolean once, Consumer<String> notices) {
        if (tail.stdin()) return new StdinSource(System.in, tail.maxLineBytes());
        return new LogTailer(tail, fromStart, once, notices);
    }

    /**
     * A {@link KafkaSource} when the {@code source} key is set, else as above. {@code clients} supplies the current per-client
     * state to forget when partitions move (may be null); {@code beforeCommit} runs before offsets are committed
     * and must make every verdict printed and every alert handed over durable.
     */
    public static LineSource open(Config cfg, boolean fromStart, boolean once, java.util.function.Supplier<ClientWindow> clients, Runnable beforeCommit,
                                  Consumer<String> notices) {
        String source = (String) cfg.get("source");
        if (source == null || source.isBlank()) {
            // a log that is not there yet is fine to follow, but one-shot runs have nothing to wait for
            if (once && !cfg.logFile().toString().equals("-")) cfg.existingFile("log_file");
            LineSource local = open(cfg.tail(), fromStart, once, notices);
            // a checkpoint may only cover lines whose verdicts are out, as a Kafka commit may
            return local instanceof LogTailer t && beforeCommit != null ? t.beforeCheckpoint(beforeCommit) : local;
        }
        return KafkaSource.forDetect(source, (java.nio.file.Path) cfg.get("kafka_config"), cfg.tail().maxLineBytes(), fromStart, once,
                new KafkaSource.Hooks(clients, beforeCommit, null), notices);
    }
}
