// ForestLayout.java -- flattens Smile's isolation trees into a few compact arrays, once, for fast scoring.
package sentinel;

import java.lang.reflect.Field;
import smile.anomaly.IsolationTree;

/**
 * A forest as flat arrays. Node {@code n} tests original feature {@code f = links[2n]} and goes to
 * {@code links[2n+1]} when {@code x[f] < thresholds[n]}, otherwise to the node just after it. A leaf points to
 * itself ({@code links[2n+1] == n}, threshold +infinity, feature 0), so every walk can take exactly
 * {@code heights[k]} steps with no exit test: the steps of several trees or rows then overlap in the CPU
 * instead of waiting on mispredicted branches. A leaf's path length (Smile's adjusted depth) is
 * {@code depths[n]}. The nodes of one tree are contiguous from {@code roots[k]}, so a tree stays in cache and a
 * per-tree early stop can be added.
 *
 * <p>Exactness: Smile sends x left when {@code dot(x, slope) < bias}. At extension level 0 only slope[j] = s is
 * non-zero, and for finite x the dot product equals fl(x[j] * s) exactly (adding signed zeros changes nothing).
 * Rounding is monotone, so for s > 0 the rows going left are exactly those below the smallest double t with
 * fl(t * s) >= bias; for s < 0 they are those above a threshold, and we swap the children. Both thresholds are
 * found by bisection over the ordered doubles, with no division: equivalence holds for every finite x.
 */
final class ForestLayout {
    final int[] roots;
    final int[] heights;
    final int[] links;
    final double[] thresholds;
    final double[] depths;
    /** log2 of the (estimated) training rows that reached each node; only explanations read it. */
    final double[] log2Rows;
    /** Per tree, bounds on its training rows recovered from its leaves (a leaf of 0 and of 1 row look alike). */
    final int[] rowsAtLeast;
    final int[] rowsAtMost;
    /**
     * The same nodes packed for the scorer: node n is {@code packed[2n]} = the threshold's bits and
     * {@code packed[2n+1]} = feature &lt;&lt; 32 | low child, so one step reads one 16-byte pair (one cache line)
     * instead of three arrays.
     */
    final long[] packed;
    /**
     * For explanations: {@code gains[2n + d]} = log2Rows[n] - log2Rows[child], the child being n's low child for
     * d = 0 and its high child for d = 1 (0 for leaves, which only ever step to themselves).
     */
    final double[] gains;
    /** Per tree, the shortest path length (adjusted depth) any of its leaves gives: the floor for early stopping. */
    final double[] minDepths;

    private final Smile smile = new Smile();
    private final int sampleSize;
    private int next;

    private ForestLayout(TrainedForest forest) {
        IsolationTree[] trees = forest.smile().trees();
        sampleSize = forest.sampleSize();
        int total = 0;
        for (IsolationTree t : trees) {
            total += smile.count(smile.root(t));
        }
        roots = new int[trees.length];
        heights = new int[trees.length];
        links = new int[2 * total];
        thresholds = new double[total];
        depths = new double[total];
        log2Rows = new double[total];
        rowsAtLeast = new int[trees.length];
        rowsAtMost = new int[trees.length];
        minDepths = new double[trees.length];
        java.util.Arrays.fill(minDepths, Double.POSITIVE_INFINITY);
        for (int k = 0; k < trees.length; k++) {
            roots[k] = next++;
            fill(smile.root(trees[k]), roots[k], 0, forest.columns()[k], k);
        }
        packed = new long[2 * total];
        gains = new double[2 * total];
        for (int n = 0; n < total; n++) {
            packed[2 * n] = Double.doubleToRawLongBits(thresholds[n]);
            packed[2 * n + 1] = ((long) links[2 * n] << 32) | links[2 * n + 1];
            if (!isLeaf(n)) {
                gains[2 * n] = log2Rows[n] - log2Rows[links[2 * n + 1]];
                gains[2 * n + 1] = log2Rows[n] - log2Rows[links[2 * n + 1] + 1];
            }
        }
    }

    /** Flattens every tree of {@code forest}. */
    static ForestLayout of(TrainedForest forest) {
        return new ForestLayout(forest);
    }

    boolean isLeaf(int node) {
        return links[2 * node + 1] == node;
    }

    /** Writes {@code node} of tree {@code k} at index {@code at}, its subtree after it; returns its estimated rows. */
    private double fill(Object node, int at, int depth, int[] cols, int k) {
        Object left = smile.child(node, true);
        if (left == null) {
            int rows = leafRows(smile.depth(node) - depth, sampleSize);
            rowsAtLeast[k] += rows;
            rowsAtMost[k] += Math.max(rows, 1);
            heights[k] = Math.max(heights[k], depth);
            minDepths[k] = Math.min(minDepths[k], smile.depth(node));
            links[2 * at + 1] = at;
            thresholds[at] = Double.POSITIVE_INFINITY;
            depths[at] = smile.depth(node);
            log2Rows[at] = Math.log(Math.max(rows, 1)) / Math.log(2);
            return Math.max(rows, 1);
        }
        Object right = smile.child(node, false);
        int lo = next;
        next += 2;
        double[] slope = smile.slope(node);
        if (slope == null || slope.length != cols.length || smile.intercept(node).length != cols.length) {
            throw SentinelException.badInput("model file holds a split whose width differs from its tree's column map");
        }
        Split split = split(slope, smile.intercept(node), smile.bias(node));
        links[2 * at] = cols[split.column];
        links[2 * at + 1] = lo;
        thresholds[at] = split.threshold;
        double rows = fill(split.swap ? right : left, lo, depth + 1, cols, k)
                + fill(split.swap ? left : right, lo + 1, depth + 1, cols, k);
        log2Rows[at] = Math.log(rows) / Math.log(2);
        return rows;
    }

    /** Rows in a leaf whose depth Smile raised by c(rows); 0 means "0 or 1" (Smile adds nothing for those). */
    static int leafRows(double adjustment, int sampleSize) {
        if (adjustment == 0) {
            return 0;
        }
        int lo = 2;
        int hi = sampleSize;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double below = adjustment - TrainedForest.averagePathLength(mid);
            double above = TrainedForest.averagePathLength(mid + 1) - adjustment;
            if (above < below) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
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
                            "model file holds an oblique split; ForestTrainer builds axis-parallel ones");
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
                    "model file holds a split whose bias " + bias + " is not slope * intercept");
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

    /** Reads Smile's package-private tree nodes; Smile 3.1.1 exposes no other way to walk a tree. */
    private static final class Smile {
        private final Field root;
        private final Field depth;
        private final Field slope;
        private final Field intercept;
        private final Field bias;
        private final Field left;
        private final Field right;

        Smile() {
            try {
                Class<?> node = Class.forName("smile.anomaly.IsolationTree$Node");
                root = open(IsolationTree.class.getDeclaredField("root"));
                depth = open(node.getDeclaredField("depth"));
                slope = open(node.getDeclaredField("slope"));
                intercept = open(node.getDeclaredField("intercept"));
                bias = open(node.getDeclaredField("bias"));
                left = open(node.getDeclaredField("left"));
                right = open(node.getDeclaredField("right"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw SentinelException.failure("cannot read Smile's isolation trees (is Smile still 3.1.1?)", e);
            }
        }

        private static Field open(Field f) {
            f.setAccessible(true);
            return f;
        }

        Object root(IsolationTree t) {
            return get(root, t);
        }

        Object child(Object node, boolean isLeft) {
            return get(isLeft ? left : right, node);
        }

        double depth(Object node) {
            return (Double) get(depth, node);
        }

        double[] slope(Object node) {
            return (double[]) get(slope, node);
        }

        double[] intercept(Object node) {
            return (double[]) get(intercept, node);
        }

        double bias(Object node) {
            return (Double) get(bias, node);
        }

        int count(Object node) {
            Object l = child(node, true);
            return l == null ? 1 : 1 + count(l) + count(child(node, false));
        }

        private static Object get(Field f, Object target) {
            try {
                return f.get(target);
            } catch (IllegalAccessException e) {
                throw SentinelException.failure("cannot read Smile's isolation trees", e);
            }
        }
    }
}
