// ModelSettings.java -- what training needs from config.yaml.
package sentinel;

/**
 * Forest and threshold settings. {@code contamination} is the expected share of anomalies in training
 * data; NaN means {@code auto} (the paper's fixed 0.5 score cut). {@code scoreThreshold}, when not NaN,
 * overrides both with a fixed score cut.
 */
public record ModelSettings(double contamination, double scoreThreshold, int trees, int sampleSize, long seed,
                            LogFormat logFormat) {

    public boolean autoContamination() {
        return Double.isNaN(contamination);
    }
}
