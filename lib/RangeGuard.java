// RangeGuard.java -- flags values a feature never took in training, which an Isolation Forest cannot see.
package sentinel;

/**
 * An isolation tree only splits between the smallest and largest training value of a feature, so a value
 * beyond that range (a 5xx status where training had none, a response ten times larger than any) gets the
 * same path as the most extreme training line, and a feature that was constant in training is never split
 * on at all. This guard catches exactly those lines: a value further than {@code margin} × the training
 * range (at least {@code minGap}) outside [min, max] raises the score above the threshold, by how far it is.
 */
public final class RangeGuard {
    /** How far outside the training range, as a share of the range, a value must be to count. */
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
            double gap = Math.max(margin * range, 0.5);
            low[j] = stats.min()[j] - gap;
            high[j] = stats.max()[j] + gap;
            scale[j] = Math.max(range, 1.0);
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
