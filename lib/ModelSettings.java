// ModelSettings.java -- what training and judging need from config.yaml.
package sentinel;

/**
 * Forest and threshold settings, and how log lines are read. {@code contamination} is the expected share of
 * anomalies in training data; NaN means {@code auto} (the paper's fixed 0.5 score cut). {@code scoreThreshold}, when
 * not NaN, overrides both with a fixed score cut. {@code logPattern} is set exactly when {@code logFormat} is CUSTOM.
 */
public record ModelSettings(double contamination, double scoreThreshold, int trees, int sampleSize, long seed,
                            LogFormat logFormat, LogPattern logPattern) {

    /** Settings for a format that needs no pattern. */
    public ModelSettings(double contamination, double scoreThreshold, int trees, int sampleSize, long seed, LogFormat logFormat) {
        this(contamination, scoreThreshold, trees, sampleSize, seed, logFormat, null);
    }

    public boolean autoContamination() {
        return Double.isNaN(contamination);
    }

    /** A parser for these lines (each caller gets its own: the parser keeps a small timestamp cache). */
    public AccessLogParser parser() {
        return new AccessLogParser(logFormat, logPattern, AccessLogParser.DEFAULT_MAX_LINE_CHARS);
    }
}
