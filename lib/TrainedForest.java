// TrainedForest.java -- a trained Isolation Forest in its storable form: flat preorder trees plus per-tree column maps.
package sentinel;

import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;

/**
 * A trained Isolation Forest as flat trees in exact "x[feature] &lt; threshold" form, plus the column map each tree
 * was trained on; what {@link ModelFormat} saves, built once into a {@link ForestLayout} for scoring.
 *
 * <p>Tree {@code k} is nodes {@code starts[k]} to {@code starts[k+1]} in preorder: a node, then the subtree of rows
 * below its threshold, then the other. A split has {@code nodeFeatures[n]} = its original feature index and
 * {@code nodeValues[n]} = its threshold; a leaf has {@code nodeFeatures[n] = -1} and {@code nodeValues[n]} = Smile's
 * adjusted depth, the path length it gives. That is all scoring and explanations need, so a loaded forest does not
 * carry Smile's trees. A freshly trained one keeps them ({@link #smile}) so tests can check the flat form against
 * Smile's own scores: tree {@code k} was built on rows projected onto {@code columns[k]} (the original feature
 * indices that vary inside its subsample).
 *
 * <p>Exactness of the flat splits ({@link #split}): Smile sends x left when {@code dot(x, slope) < bias}. At
 * extension level 0 only slope[j] = s is non-zero, and for finite x the dot product equals fl(x[j] * s) exactly
 * (adding signed zeros changes nothing). Rounding is monotone, so for s > 0 the rows going left are exactly those
 * below the smallest double t with fl(t * s) >= bias; for s < 0 they are those above a threshold, and we swap the
 * children. Both thresholds are found by bisection over the ordered doubles, with no division: equivalence holds
 * for every finite x.
 * Models are stored by {@link ModelFormat} only; a forest is not Java-serializable.
 */
public final class TrainedForest {

    /** Smile's constant for c(n); kept identical so our scores match Smile's bit for bit. */
    private static final double EULER = 0.5772156649;

    private final int features;
    private final int sampleSize;
    private final long seed;
    private final int[][] columns;
    private final int[] starts;
    private final int[] nodeFeatures;
    private final double[] nodeValues;
    private final IsolationForest smile;
    private final ForestLayout layout;

    /**
     * A forest from its flat trees (see the class comment); {@code smile} is the trainer's forest or null. Throws
     * {@link SentinelException#badInput} unless the sizes agree and every tree is complete and well-formed.
     *
     * @param features   width of the rows the forest was trained on
     * @param sampleSize rows per tree (the requested subsample size, capped at the training rows); sets c(n)
     * @param seed       the seed the trainer was given
     */
    TrainedForest(int features, int sampleSize, long seed, int[][] columns, int[] starts, int[] nodeFeatures,
                  double[] nodeValues, IsolationForest smile) {
        checkColumns(columns, starts == null ? -1 : starts.length - 1, features);
        if (sampleSize < 2 || nodeFeatures == null || nodeValues == null || nodeFeatures.length != nodeValues.length
                || starts[0] != 0 || starts[starts.length - 1] != nodeFeatures.length) {
            throw SentinelException.badInput("the forest's sizes disagree (sample size, tree starts or node arrays)");
        }
        for (int k = 0; k + 1 < starts.length; k++) {
            if (starts[k + 1] <= starts[k]) {
                throw SentinelException.badInput("tree " + k + " of the forest has no nodes");
            }
        }
        this.features = features;
        this.sampleSize = sampleSize;
        this.seed = seed;
        this.columns = columns;
        this.starts = starts;
        this.nodeFeatures = nodeFeatures;
        this.nodeValues = nodeValues;
        this.smile = smile;
        this.layout = ForestLayout.of(this); // checks every node, so a forest that exists can be scored
    }

    /** Checks there is one column map per tree, each within the forest's width. */
    static void checkColumns(int[][] columns, int trees, int features) {
        if (columns == null || trees < 1 || columns.length != trees || features < 1) {
            throw SentinelException.badInput("the forest is inconsistent: " + trees + " trees, "
                    + (columns == null ? 0 : columns.length) + " column maps, " + features + " features");
        }
        for (int k = 0; k < trees; k++) {
            if (columns[k] == null) {
                throw SentinelException.badInput("tree " + k + " of the forest has no column map");
            }
            for (int c : columns[k]) {
                if (c < 0 || c >= features) {
                    throw SentinelException.badInput("tree " + k + " maps a column to feature " + c + " of " + features);
                }
            }
        }
    }

    /** Width of the rows the forest was trained on. */
    public int features() {
        return features;
    }

    /** Rows per tree (the requested subsample size, capped at the training rows). */
    public int sampleSize() {
        return sampleSize;
    }

    /** The seed the trainer was given. */
    public long seed() {
        return seed;
    }

    /** Number of trees. */
    public int trees() {
        return starts.length - 1;
    }

    /** For each tree, the original feature index of each column the tree saw (shared, not copied: do not change). */
    public int[][] columns() {
        return columns;
    }

    /** Smile's forest when this one was just trained, null when it was loaded from a file. */
    public IsolationForest smile() {
        return smile;
    }

    int[] starts() {
        return starts;
    }

    int[] nodeFeatures() {
        return nodeFeatures;
    }

    double[] nodeValues() {
        return nodeValues;
    }

    /** The scoring arrays, built once when the forest was made. */
    ForestLayout layout() {
        return layout;
    }

    /**
     * c(n), the average path length of an unsuccessful search in a binary search tree of n keys: the paper's
     * normaliser, the same expression as Smile's package-private {@code IsolationForest.factor}.
     */
    static double averagePathLength(int n) {
        return 2.0 * ((Math.log(n - 1) + EULER) - (n - 1.0) / n);
    }

    /** The score normaliser c(sampleSize). */
    public double normalizer() {
        return averagePathLength(sampleSize);
    }

    /** Projects an original row onto the columns tree {@code tree} was built on. */
    public double[] project(double[] x, int tree) {
        return project(x, columns[tree]);
    }

    /** The values of {@code x} at {@code cols}, in that order. */
    static double[] project(double[] x, int[] cols) {
        double[] p = new double[cols.length];
        for (int i = 0; i < cols.length; i++) {
            p[i] = x[cols[i]];
        }
        return p;
    }

    /**
     * Slow reference score computed by Smile's own trees on projected rows; for checks, not the live path. Only a
     * freshly trained forest has Smile's trees: a loaded one throws IllegalStateException.
     */
    public double referenceScore(double[] x) {
        if (smile == null) {
            throw new IllegalStateException("a loaded forest has no Smile trees: only a freshly trained one does");
        }
        IsolationTree[] trees = smile.trees();
        double length = 0.0;
        for (int k = 0; k < trees.length; k++) {
            length += trees[k].path(project(x, k));
        }
        length /= trees.length;
        return Math.pow(2.0, -length / normalizer());
    }

    /** A split in flat form: column in the projected row, threshold, and whether Smile's children swap places. */
    record Split(int column, double threshold, boolean swap) {}

    /** Turns Smile's (slope, intercept, bias) into an exact "x[column] < threshold" test (see the class comment). */
    static Split split(double[] slope, double[] intercept, double bias) {
        int j = -1;
        for (int i = 0; i < slope.length; i++) {
            if (slope[i] != 0) {
                if (j >= 0) {
                    throw SentinelException.badInput(
                            "the forest holds an oblique split; ForestTrainer builds axis-parallel ones");
                }
                j = i;
            }
        }
        // A zero slope, or a bias nothing is below, sends every row right: no row is below -infinity.
        if (j < 0 || !(bias > Double.NEGATIVE_INFINITY)) {
            return new Split(Math.max(j, 0), Double.NEGATIVE_INFINITY, false);
        }
        double s = slope[j];
        double v = intercept[j];
        if (!(v * s == bias)) {
            throw SentinelException.badInput(
                    "the forest holds a split whose bias " + bias + " is not slope * intercept");
        }
        if (s > 0) {
            // Left exactly below the least t with fl(t*s) >= bias; v itself qualifies.
            long t = firstKey(s, bias, false, key(Double.NEGATIVE_INFINITY), key(v));
            return new Split(j, unkey(t), false);
        }
        // s < 0: fl(t*s) < bias exactly when fl(t*-s) > -bias (rounding is symmetric), true from the least such t
        // upward; rows below it went right in Smile, so the children swap and the test stays "x < threshold".
        long t = firstKey(-s, -bias, true, key(v), key(Double.POSITIVE_INFINITY));
        return new Split(j, unkey(t), true);
    }

    /**
     * The least key in [lo, hi] whose double t has fl(t * s) >= bias ({@code strict}: > bias). Requires s > 0
     * (so the predicate only turns from false to true as t grows) and that hi qualifies.
     */
    private static long firstKey(double s, double bias, boolean strict, long lo, long hi) {
        if (qualifies(unkey(lo), s, bias, strict)) {
            return lo;
        }
        while (Long.compareUnsigned(hi - lo, 1) > 0) {
            long mid = lo + ((hi - lo) >>> 1);
            if (qualifies(unkey(mid), s, bias, strict)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private static boolean qualifies(double t, double s, double bias, boolean strict) {
        double p = t * s;
        return strict ? p > bias : p >= bias;
    }

    /** Maps doubles (not NaN) to longs in the same order; -0.0 and 0.0 become neighbours. */
    private static long key(double d) {
        long b = Double.doubleToRawLongBits(d);
        return b >= 0 ? b : b ^ Long.MAX_VALUE;
    }

    private static double unkey(long k) {
        return Double.longBitsToDouble(k >= 0 ? k : k ^ Long.MAX_VALUE);
    }
}
