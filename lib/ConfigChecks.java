// ConfigChecks.java -- rules that span keys or look at the disk, applied once every layer of the config is in.
package sentinel;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks a loaded {@link Config} as a whole; errors name the file, line and key like single-value errors. */
final class ConfigChecks {
    private ConfigChecks() {}

    /** Throws SentinelException (exit 2) on the first rule the settings break. */
    static void check(Config cfg) {
        LogFormat format = (LogFormat) cfg.get("log_format");
        Object pattern = cfg.get("log_pattern");
        if (format == LogFormat.CUSTOM && pattern == null) {
            throw SentinelException.badInput(where(cfg, "log_format") + "custom needs log_pattern, a regex with named groups"
                    + " such as (?<ip>\\S+) \\S+ \\S+ \\[(?<time>[^]]+)\\] \"(?<request>[^\"]*)\" (?<status>\\d{3}) (?<bytes>\\S+)");
        }
        if (format != LogFormat.CUSTOM && pattern != null) {
            throw SentinelException.badInput(where(cfg, "log_pattern") + "only read with log_format custom, but log_format is "
                    + format.configName() + " (" + cfg.settings().get("log_format").origin() + "); remove one of them");
        }
        Path state = (Path) cfg.get("state_file");
        Path stateDir = state == null ? null : state.toAbsolutePath().getParent();
        if (stateDir != null && !Files.isDirectory(stateDir)) {
            throw SentinelException.badInput(where(cfg, "state_file") + "its folder " + Printable.path(stateDir) + " does not exist");
        }
        Path kafka = (Path) cfg.get("kafka_config");
        if (kafka != null && !Files.isRegularFile(kafka)) {
            throw SentinelException.badInput(where(cfg, "kafka_config") + Printable.path(kafka) + " does not exist or is not a file");
        }
    }

    /**
     * The path of {@code key}, which must name an existing file; otherwise a SentinelException (exit 2) naming
     * where the value came from: {@code config.yaml:3: train_file: logs/x.txt does not exist}.
     */
    static Path existingFile(Config cfg, String key) {
        Path p = (Path) cfg.get(key);
        if (p == null) throw SentinelException.badInput(where(cfg, key) + "not set");
        if (Files.isRegularFile(p)) return p;
        String why = Files.isDirectory(p) ? " is a directory, not a file" : " does not exist";
        throw SentinelException.badInput(where(cfg, key) + Printable.path(p) + why);
    }

    /** {@code config.yaml:3: key: }, or {@code key (default): } for a value nobody set. */
    static String where(Config cfg, String key) {
        String origin = cfg.settings().get(key).origin();
        return origin.equals("default") ? key + " (default): " : origin + ": " + key + ": ";
    }
}
