// Detector.java -- parser, featurizer, forest and threshold composed: one line in, one verdict out.
package sentinel;

import java.util.ArrayList;
import java.util.List;

/**
 * Judges lines with a trained {@link ModelBundle}: the same code path for detect.java, evaluation and notebooks.
 * Not thread-safe for {@link #judge}; create one per thread.
 */
public final class Detector {
    /** How many features an explanation names. */
    public static final int TOP_REASONS = 3;

    private final ModelBundle bundle;
    private final AccessLogParser parser;
    private final Featurizer featurizer;
    private final ForestScorer scorer;
    private final RangeGuard guard;

    /** Builds the live scoring path; throws SentinelException when the model's features are not this version's. */
    public Detector(ModelBundle bundle, LogFormat format) {
        this.bundle = bundle;
        this.parser = new AccessLogParser(format);
        this.featurizer = new Featurizer(bundle.schema(), bundle.profile());
        this.scorer = new ForestScorer(bundle.forest());
        this.guard = new RangeGuard(bundle.featureStats(), RangeGuard.DEFAULT_MARGIN);
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public Featurizer featurizer() {
        return featurizer;
    }

    public ForestScorer scorer() {
        return scorer;
    }

    /** Parses, featurizes, scores and explains one line; never throws on bad input. */
    public Verdict judge(String line, long lineNo, String position) {
        ParseResult pr = parser.parse(line);
        if (pr instanceof ParseResult.Malformed m) {
            return new Verdict(lineNo, line, null, m.reason(), Double.NaN, bundle.threshold().cut(), false, null, List.of(), position);
        }
        AccessRecord r = ((ParseResult.Parsed) pr).record();
        double[] x = featurizer.featurize(r);
        double cut = bundle.threshold().cut();
        double score = RangeGuard.raise(scorer.score(x), cut, guard.excess(x));
        boolean anomaly = bundle.threshold().isAnomaly(score);
        List<Verdict.Contribution> reasons = anomaly ? explain(x) : List.of();
        return new Verdict(lineNo, line, r, null, score, bundle.threshold().cut(), anomaly, x, reasons, position);
    }

    /**
     * The features that made {@code x} unusual, strongest first: values never seen in training (beyond the
     * {@link RangeGuard}) first, furthest first; then values outside the usual range (0.5%–99.5%), ordered by how
     * much the forest's isolating splits used them; the rest are filled by that attribution alone.
     */
    public List<Verdict.Contribution> explain(double[] x) {
        ModelBundle.FeatureStats st = bundle.featureStats();
        double[] attribution = scorer.pathDepthContributions(x);
        int n = x.length;
        double[] rank = new double[n];
        for (int j = 0; j < n; j++) {
            boolean outside = x[j] < st.low()[j] || x[j] > st.high()[j];
            double beyond = guard.excess(x, j);
            rank[j] = beyond > 0 ? 4.0 + Math.min(beyond, 100) : (outside ? 2.0 : 0.0) + attribution[j];
        }
        List<Verdict.Contribution> out = new ArrayList<>(TOP_REASONS);
        boolean[] used = new boolean[n];
        for (int k = 0; k < Math.min(TOP_REASONS, n); k++) {
            int best = -1;
            for (int j = 0; j < n; j++) if (!used[j] && (best < 0 || rank[j] > rank[best])) best = j;
            if (rank[best] <= 0) break;
            used[best] = true;
            out.add(new Verdict.Contribution(bundle.schema().names()[best], x[best], st.low()[best], st.high()[best]));
        }
        return out;
    }
}
