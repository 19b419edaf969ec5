// Threshold.java -- turns training scores and the contamination setting into the score cut that flags a line.
package sentinel;

import java.util.Arrays;

/**
 * The decision rule: a line is an anomaly when its score is above {@code cut}. {@code quantiles} keeps the
 * training score distribution at {@link #QUANTILE_LEVELS} for reports; {@code trainingAlertRate} is the share
 * of training lines the cut flags (the expected false-alarm rate on traffic like the training data).
 */
public record Threshold(double cut, String rule, double[] quantiles, double trainingAlertRate) {

    public static final double[] QUANTILE_LEVELS = {0.5, 0.9, 0.99, 0.999, 1.0};

    /** The paper's fixed cut used by {@code contamination: auto}, as in scikit-learn. */
    public static final double AUTO_CUT = 0.5;

    /**
     * Calibrates on the scores of the training lines: a fixed score cut if set, else the paper's 0.5 for
     * {@code auto}, else the {@code (1 - contamination)} quantile (scikit-learn's meaning of contamination).
     */
    public static Threshold calibrate(double[] trainingScores, ModelSettings s) {
        double[] sorted = trainingScores.clone();
        Arrays.sort(sorted);
        double cut;
        String rule;
        if (!Double.isNaN(s.scoreThreshold())) {
            cut = s.scoreThreshold();
            rule = "score_threshold " + s.scoreThreshold();
        } else if (s.autoContamination()) {
            cut = AUTO_CUT;
            rule = "contamination auto (score > 0.5)";
        } else {
            cut = quantile(sorted, 1 - s.contamination());
            rule = "contamination " + s.contamination();
        }
        double[] q = new double[QUANTILE_LEVELS.length];
        for (int i = 0; i < q.length; i++) q[i] = quantile(sorted, QUANTILE_LEVELS[i]);
        return new Threshold(cut, rule, q, rateAbove(sorted, cut));
    }

    /** True when {@code score} is beyond the cut. */
    public boolean isAnomaly(double score) {
        return score > cut;
    }

    /** Share of {@code sortedScores} strictly above {@code cut}. */
    public static double rateAbove(double[] sortedScores, double cut) {
        if (sortedScores.length == 0) return 0;
        int lo = 0, hi = sortedScores.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedScores[mid] <= cut) lo = mid + 1; else hi = mid;
        }
        return (double) (sortedScores.length - lo) / sortedScores.length;
    }

    /** Linear-interpolated quantile of sorted values (the same definition as numpy's default). */
    public static double quantile(double[] sorted, double level) {
        if (sorted.length == 0) return Double.NaN;
        double pos = level * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) return sorted[sorted.length - 1];
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }
}
