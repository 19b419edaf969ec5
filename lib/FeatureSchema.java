// FeatureSchema.java -- the names and settings of the feature vector, saved with the model so train and detect agree.
package sentinel;

import java.util.Arrays;

/**
 * Ordered feature names plus the settings that produced them: hashed path-token buckets, whether user-agent
 * features are on, and whether behavioural features (per-client windows, rarity against training) are on. {@code version} changes whenever the
 * meaning of a feature changes, so an old model is refused instead of silently mis-scoring.
 */
public record FeatureSchema(int version, String[] names, int hashBuckets, boolean userAgentFeatures, boolean behaviourFeatures) {

    public static final int CURRENT_VERSION = 2;

    public int size() {
        return names.length;
    }

    /** Index of a feature by name, or -1. */
    public int indexOf(String name) {
        return Arrays.asList(names).indexOf(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSchema f && f.version == version && Arrays.equals(f.names, names)
                && f.hashBuckets == hashBuckets && f.userAgentFeatures == userAgentFeatures && f.behaviourFeatures == behaviourFeatures;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names) * 31 + version;
    }
}
