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
        this(bundle, new AccessLogParser(format));
    }

    /** Builds the live scoring path reading lines with {@code parser} (custom formats need their pattern). */
    public Detector(ModelBundle bundle, AccessLogParser parser) {
        this.bundle = bundle;
        this.parser = parser;
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

    /** The parser judge uses; thread-safe, but a batch stage keeps its own (same format) to keep its cache warm. */
    AccessLogParser newParser() {
        return parser.copy();
    }

    /** Parses, featurizes, scores and explains one line; never throws on bad input. */
    public Verdict judge(String line, long lineNo, String position) {
        ParseResult pr = parser.parse(line);
        if (pr instanceof ParseResult.Malformed m) return unparsed(lineNo, line, m, position);
        AccessRecord r = ((ParseResult.Parsed) pr).record();
        double[] x = featurizer.featurize(r);
        return decide(lineNo, line, r, x, scorer.score(x), position);
    }

    /*
     * judge() in stages, for BatchPipeline: parse and decide may run on any thread (ForestScorer, RangeGuard and
     * explain only read the model), featurize must see the lines in log order (per-client state).
     */

    /** The verdict of a line that did not parse. */
    Verdict unparsed(long lineNo, String line, ParseResult.Malformed m, String position) {
        return new Verdict(lineNo, line, null, m.reason(), Double.NaN, bundle.threshold().cut(), false, null, List.of(), position);
    }

    /**
     * The in-order part of {@link #judge}'s features: {@code x} holds what {@link Featurizer#perLine} wrote, on any
     * thread with its own {@link Featurizer#forWorker}, and returned as {@code pending}; this adds the client window's.
     */
    void perClient(AccessRecord r, long pending, double[] x) {
        if (featurizer.clients() != null) featurizer.perClient(r, pending, x);
    }

    /**
     * The verdict of a featurized line given the forest's score of {@code x} (or, from early stopping, a bound
     * at most the threshold: the guard then raises it exactly as it would the full score).
     */
    Verdict decide(long lineNo, String line, AccessRecord r, double[] x, double forestScore, String position) {
        double score = guarded(x, forestScore);
        double[] attribution = bundle.threshold().isAnomaly(score) ? scorer.pathDepthContributions(x) : null;
        return verdict(lineNo, line, r, x, score, position, attribution);
    }

    /** The score reported for {@code x}: the forest's, raised by the {@link RangeGuard} when a value is beyond training. */
    double guarded(double[] x, double forestScore) {
        return RangeGuard.raise(forestScore, bundle.threshold().cut(), guard.excess(x));
    }

    /**
     * {@link #decide} in parts, for a batch that explains its anomalies together: {@code score} from {@link #guarded},
     * {@code attribution} the forest's {@link ForestScorer#pathDepthContributions} of {@code x} when it is an anomaly.
     */
    Verdict verdict(long lineNo, String line, AccessRecord r, double[] x, double score, String position, double[] attribution) {
        boolean anomaly = bundle.threshold().isAnomaly(score);
        List<Verdict.Contribution> reasons = anomaly ? explain(x, attribution) : List.of();
        return new Verdict(lineNo, line, r, null, score, bundle.threshold().cut(), anomaly, x, reasons, position);
    }

    /**
     * The features that made {@code x} unusual, at most {@link #TOP_REASONS}, strongest first: values never seen in
     * training (beyond the {@link RangeGuard}) first, furthest first; then values outside the usual range (0.5%–99.5%),
     * ordered by how much the forest's isolating splits used them. Only when no value is outside its usual range do
     * those splits alone name the features, skipping values at their training median.
     */
    public List<Verdict.Contribution> explain(double[] x) {
        return explain(x, scorer.pathDepthContributions(x));
    }

    /** {@link #explain(double[])} with the forest's attribution of {@code x} already computed. */
    private List<Verdict.Contribution> explain(double[] x, double[] attribution) {
        ModelBundle.FeatureStats st = bundle.featureStats();
        int n = x.length;
        double[] rank = new double[n];
        boolean unusual = false;
        for (int j = 0; j < n; j++) {
            // bounds and median are met give or take 1%: a training line's rarity leaves its own count out, so the
            // commonest path or agent reads a hair rarer in training than when it is judged
            boolean outside = (x[j] < st.low()[j] && !near(x[j], st.low()[j])) || (x[j] > st.high()[j] && !near(x[j], st.high()[j]));
            double beyond = guard.excess(x, j);
            // a value at the training median cannot be what made x unusual, however much the splits used it
            boolean typical = near(x[j], st.mid()[j]);
            rank[j] = beyond > 0 ? 4.0 + Math.min(beyond, 100) : typical ? 0.0 : (outside ? 2.0 : 0.0) + attribution[j];
            unusual |= rank[j] >= 2;
        }
        // the forest's attribution alone names features only when no value is outside its usual range
        if (unusual) for (int j = 0; j < n; j++) if (rank[j] < 2) rank[j] = 0;
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

    private static boolean near(double value, double reference) {
        return Math.abs(value - reference) <= 0.01 * Math.abs(reference);
    }
}
