// RangeGuard.java -- flags values a feature never took in training, which an Isolation Forest cannot see.
package sentinel;

/**
 * An isolation tree only splits between the smallest and largest training value of a feature, so a value
 * beyond that range (a 5xx status where training had none, a client whose requests are 90% 404s where no
 * training client passed 50%) gets the same path as the most extreme training line, and a feature that was
 * constant in training (no traversal, no control bytes) is never split on at all. This guard catches exactly
 * those lines: a value further than {@code margin} × the training range outside [min, max] raises the score above
 * the threshold, by how far it is. The range counts as at least 1, so a feature constant in training flags any value
 * 0.1 away and a share (0..1) needs 0.1 beyond its training maximum. No training line is ever beyond its own range,
 * so the alert rate measured on the training lines stays exact.
 */
public final class RangeGuard {
    /** How far outside the training range, as a share of the range (at least 1), a value must be to count. */
    public static final double DEFAULT_MARGIN = 0.10;

    private final double[] low;
    private final double[] high;
    private final double[] scale;

    public RangeGuard(ModelBundle.FeatureStats stats, double margin) {
        int n = stats.min().length;
        low = new double[n];
        high = new double[n];
        scale = new double[n];
        for (int j = 0; j < n; j++) {
            double range = stats.max()[j] - stats.min()[j];
            // the floor of 1 keeps a constant feature's gap at the margin; shares (0..1) get a gap in proportion
            scale[j] = Math.max(range, 1.0);
            double gap = margin * scale[j];
            low[j] = stats.min()[j] - gap;
            high[j] = stats.max()[j] + gap;
        }
    }

    /** How far {@code x} is beyond the guarded range, summed over features in units of each range; 0 when inside. */
    public double excess(double[] x) {
        double e = 0;
        for (int j = 0; j < x.length; j++) e += excess(x, j);
        return e;
    }

    /** How far feature {@code j} of {@code x} is beyond its guarded range (0.5 at the edge, more beyond); 0 when inside. */
    public double excess(double[] x, int j) {
        if (x[j] > high[j]) return (x[j] - high[j]) / scale[j] + 0.5;
        if (x[j] < low[j]) return (low[j] - x[j]) / scale[j] + 0.5;
        return 0;
    }

    /** The score reported for a line beyond the range: above {@code cut}, rising towards 1 with the excess. */
    public static double raise(double score, double cut, double excess) {
        if (excess <= 0) return score;
        return Math.max(score, cut + (1 - cut) * (1 - Math.exp(-excess)));
    }
}
