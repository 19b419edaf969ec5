// TailSettings.java -- what the log tailer needs from config.yaml.
package sentinel;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings for following a log file: the file ({@code "-"} is standard input), the polling fallback
 * interval, the longest line kept whole, and an optional checkpoint file (null: none).
 */
public record TailSettings(Path logFile, Duration sleepInterval, int maxLineBytes, Path stateFile) {

    /** True when the log is read from standard input. */
    public boolean stdin() {
        return logFile.toString().equals("-");
    }
}
