// ForestScorer.java -- scores rows with a trained forest flattened into compact arrays; higher = more anomalous.
package sentinel;

import java.util.stream.IntStream;

/**
 * Scores rows with a {@link TrainedForest}: 2^(-meanPath/c(sampleSize)) in (0, 1], exactly what Smile's own trees
 * give on the projected rows, but walking flat arrays ({@link ForestLayout}) instead of Smile's node objects.
 * Thread-safe once built.
 */
public final class ForestScorer {
    /** Rows per batch block: 256 rows of 40 features (~90 KB) stay in L2 while a tree (a few KB) sits in L1. */
    private static final int BLOCK = 256;
    /** Below this many rows a batch runs on the calling thread; above, blocks are shared with the common pool. */
    private static final int PARALLEL_ROWS = 8 * BLOCK;
    /** Trees between early-stopping checks: often enough to drop most rows soon, rarely enough to cost little. */
    private static final int STOP_EVERY = 4;
    /** Added to the stopping length; see {@link #stopLength}. */
    private static final double STOP_MARGIN = 1e-9;
    /**
     * Standard errors by which a line's projected mean path must clear the threshold's before it stops on the
     * statistical test (see {@link #score(double[][], int, int, double[], double)}). Measured: on 585,000 lines
     * (simulated traffic with attacks, nginx-real train and dev, the training log) no verdict changed and the
     * most any anomaly reached at a check was 3.5.
     */
    static final double STOP_Z = 6;
    /** Trees walked before the statistical test may stop a line: fewer say too little about its spread. */
    private static final int STOP_MIN_TREES = 8;
    /** Least spread (tree levels) assumed for a line's path lengths, so a few equal lengths never look certain. */
    private static final double STOP_MIN_SD = 1.0;

    private final ForestLayout layout;
    private final int features;
    private final int trees;
    private final double c;
    /** remainingMin[k]: the least length trees k..end can add to a row (sum of their shallowest leaves). */
    private final double[] remainingMin;
    /** Per leaf, the halvings each feature's splits did on the way there: explanations read them. */
    private final LeafGains leafGains;

    /** A scorer over {@code forest}'s layout (built once with the forest, shared by every scorer of it). */
    public ForestScorer(TrainedForest forest) {
        this.layout = forest.layout();
        this.features = forest.features();
        this.trees = layout.roots.length;
        this.c = forest.normalizer();
        this.leafGains = new LeafGains(layout);
        this.remainingMin = new double[trees + 1];
        for (int k = trees - 1; k >= 0; k--) {
            remainingMin[k] = remainingMin[k + 1] + layout.minDepths[k];
        }
    }

    /** Width of the rows this forest scores. */
    public int features() {
        return features;
    }

    /** The anomaly score of {@code x}; throws {@link SentinelException#badInput} for a wrong width or a non-finite value. */
    public double score(double[] x) {
        check(x, -1);
        long[] nodes = layout.packed;
        int[] roots = layout.roots;
        int[] heights = layout.heights;
        double[] depths = layout.depths;
        double length = 0.0;
        int k = 0;
        // Four independent walks per pass keep the CPU busy while each waits on its loads; sums stay in tree order.
        for (; k + 4 <= roots.length; k += 4) {
            int a = roots[k], b = roots[k + 1], c = roots[k + 2], d = roots[k + 3];
            int h = Math.max(Math.max(heights[k], heights[k + 1]), Math.max(heights[k + 2], heights[k + 3]));
            for (int step = 0; step < h; step++) {
                a = step(nodes, a, x);
                b = step(nodes, b, x);
                c = step(nodes, c, x);
                d = step(nodes, d, x);
            }
            length += depths[a];
            length += depths[b];
            length += depths[c];
            length += depths[d];
        }
        for (; k < roots.length; k++) {
            length += depths[walk(roots[k], heights[k], x)];
        }
        return toScore(length);
    }

    /**
     * Scores {@code rows} into {@code out}, equal to {@link #score(double[])} row by row. Rows go in blocks, each
     * walked tree by tree so one tree stays in cache; large batches use the common pool as well.
     */
    public void score(double[][] rows, double[] out) {
        if (out.length < rows.length) {
            throw new IllegalArgumentException("out has " + out.length + " slots for " + rows.length + " rows");
        }
        int blocks = (rows.length + BLOCK - 1) / BLOCK;
        IntStream range = IntStream.range(0, blocks);
        if (rows.length >= PARALLEL_ROWS) {
            range = range.parallel();
        }
        range.forEach(b -> score(rows, b * BLOCK, Math.min(rows.length, (b + 1) * BLOCK), out, Double.NaN));
    }

    /**
     * Scores {@code rows[from, to)} into {@code out[from, to)} on the calling thread, tree by tree over blocks of
     * rows. With {@code cut} NaN every score equals {@link #score(double[])}. Otherwise clearly normal rows stop
     * early, checked every {@value #STOP_EVERY} trees, on either of two tests: (1) exact: even the shallowest
     * leaves of the trees left could not lift the score above {@code cut}; (2) statistical, from
     * {@value #STOP_MIN_TREES} trees on: the mean path so far, projected to the whole forest, clears the threshold's
     * by {@value #STOP_Z} standard errors of the row's own path lengths (sampling the remaining trees without
     * replacement; spread at least {@value #STOP_MIN_SD} level). A stopped row's {@code out} value is at most
     * {@code cut} (a bound for test 1, an estimate for test 2), so it is judged normal; every row not stopped
     * gets its exact score. Test 2 is what can change a verdict: see {@link #STOP_Z} for how often it did.
     */
    public void score(double[][] rows, int from, int to, double[] out, double cut) {
        score(rows, from, to, out, cut, STOP_Z);
    }

    /** As above with {@code z} standard errors for test 2 ({@code +Infinity}: test 1 only, every verdict exact). */
    void score(double[][] rows, int from, int to, double[] out, double cut, double z) {
        for (int i = from; i < to; i++) {
            check(rows[i], i);
        }
        Stop stop = Double.isNaN(cut) ? null : new Stop(stopLength(cut), z, cut);
        int[] active = new int[Math.min(BLOCK, to - from)];
        double[] length = new double[active.length];
        double[] squares = new double[active.length];
        for (int b = from; b < to; b += BLOCK) {
            int n = Math.min(BLOCK, to - b);
            for (int i = 0; i < n; i++) {
                active[i] = b + i;
                length[i] = 0.0;
                squares[i] = 0.0;
            }
            n = walkBlock(rows, active, length, squares, n, out, stop);
            for (int i = 0; i < n; i++) {
                out[active[i]] = toScore(length[i]);
            }
        }
    }

    /** The early-stopping settings of one call: the summed length at the cut, test 2's z, the cut itself. */
    private record Stop(double length, double z, double cut) {}

    /**
     * Adds every tree's path length (and its square) to the {@code n} rows {@code active[i]}, eight rows per pass so
     * eight walks overlap; every {@value #STOP_EVERY} trees, rows that pass a stopping test are finished into
     * {@code out} and dropped. Returns how many rows are left, compacted to the front.
     */
    private int walkBlock(double[][] rows, int[] active, double[] length, double[] squares, int n, double[] out, Stop stop) {
        long[] nodes = layout.packed;
        double[] depths = layout.depths;
        int[] leaves = new int[8];
        for (int k = 0; k < trees && n > 0; k++) {
            int root = layout.roots[k];
            int h = layout.heights[k];
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                walk8(nodes, root, h, rows, active, i, leaves);
                for (int j = 0; j < 8; j++) add(length, squares, i + j, depths[leaves[j]]);
            }
            for (; i < n; i++) {
                add(length, squares, i, depths[walk(root, h, rows[active[i]])]);
            }
            if (stop != null && k % STOP_EVERY == STOP_EVERY - 1 && k + 1 < trees) {
                n = finishEarly(active, length, squares, n, out, k + 1, stop);
            }
        }
        return n;
    }

    /**
     * Walks rows {@code rows[index[i..i+8)]} down the tree at {@code root} together, {@code h} steps, and writes the
     * eight leaves into {@code leaves}: eight independent walks keep the CPU busy while each waits on its loads.
     */
    private static void walk8(long[] nodes, int root, int h, double[][] rows, int[] index, int i, int[] leaves) {
        double[] x0 = rows[index[i]], x1 = rows[index[i + 1]], x2 = rows[index[i + 2]], x3 = rows[index[i + 3]];
        double[] x4 = rows[index[i + 4]], x5 = rows[index[i + 5]], x6 = rows[index[i + 6]], x7 = rows[index[i + 7]];
        int a0 = root, a1 = root, a2 = root, a3 = root, a4 = root, a5 = root, a6 = root, a7 = root;
        for (int step = 0; step < h; step++) {
            a0 = step(nodes, a0, x0);
            a1 = step(nodes, a1, x1);
            a2 = step(nodes, a2, x2);
            a3 = step(nodes, a3, x3);
            a4 = step(nodes, a4, x4);
            a5 = step(nodes, a5, x5);
            a6 = step(nodes, a6, x6);
            a7 = step(nodes, a7, x7);
        }
        leaves[0] = a0;
        leaves[1] = a1;
        leaves[2] = a2;
        leaves[3] = a3;
        leaves[4] = a4;
        leaves[5] = a5;
        leaves[6] = a6;
        leaves[7] = a7;
    }

    private static void add(double[] length, double[] squares, int i, double depth) {
        length[i] += depth;
        squares[i] += depth * depth;
    }

    /**
     * Finishes every row that passes test 1 or test 2 after {@code walked} trees and keeps the others; returns how
     * many remain.
     */
    private int finishEarly(int[] active, double[] length, double[] squares, int n, double[] out, int walked, Stop stop) {
        double rest = remainingMin[walked];
        boolean statistical = walked >= STOP_MIN_TREES && stop.z() != Double.POSITIVE_INFINITY;
        // standard error of the projected total per unit of spread: sqrt(T (T - k) / k)
        double spread = Math.sqrt((double) trees * (trees - walked) / walked);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            double atLeast = length[i] + rest;
            if (atLeast >= stop.length()) {
                out[active[i]] = toScore(atLeast);
                continue;
            }
            if (statistical) {
                double mean = length[i] / walked;
                double sd = Math.max(STOP_MIN_SD, Math.sqrt(Math.max(0, (squares[i] - walked * mean * mean) / (walked - 1))));
                double projected = mean * trees;
                if (projected - stop.length() >= stop.z() * sd * spread) {
                    out[active[i]] = Math.min(toScore(projected), stop.cut());
                    continue;
                }
            }
            active[kept] = active[i];
            length[kept] = length[i];
            squares[kept++] = squares[i];
        }
        return kept;
    }

    /**
     * The summed path length from which a score can no longer exceed {@code cut}: the least length whose score
     * is at most {@code cut}, plus a margin far above the rounding error of summing a hundred path lengths
     * (~1e-11), so a row stopped there would also have finished at or below {@code cut}.
     */
    private double stopLength(double cut) {
        if (!(cut > 0)) {
            return Double.POSITIVE_INFINITY; // every positive score is above a cut at or below zero: never stop
        }
        double lo = 0.0;
        double hi = remainingMin[0] + trees * 2.0 * layout.depths.length; // far beyond any reachable length
        if (toScore(hi) > cut) {
            return Double.POSITIVE_INFINITY;
        }
        for (int i = 0; i < 200 && lo < hi && Math.nextUp(lo) < hi; i++) {
            double mid = lo + (hi - lo) / 2;
            if (toScore(mid) <= cut) hi = mid; else lo = mid;
        }
        return hi + STOP_MARGIN;
    }

    /**
     * How much each original feature did to isolate {@code x}, normalised to sum 1 (all zeros if no split on
     * x's path isolated anything). Formula: along x's path in every tree, a split on feature f that takes x
     * from a node that saw n training rows into a child that saw n' rows adds log2(n / n') to f: the number of
     * halvings of the sample that split did (a split that leaves x with the crowd adds ~0, one that cuts x off
     * alone adds log2 n). Leaf row counts are recovered from Smile's depth adjustment c(n); empty leaves count
     * as 1 row. The sums per leaf are precomputed ({@link LeafGains}), so this walks each tree once, four at a
     * time, and adds a few numbers per tree. Same input checks as {@link #score(double[])}.
     */
    public double[] pathDepthContributions(double[] x) {
        check(x, -1);
        double[] bits = new double[features];
        int[] roots = layout.roots;
        int[] heights = layout.heights;
        long[] nodes = layout.packed;
        int k = 0;
        for (; k + 4 <= trees; k += 4) {
            int a = roots[k], b = roots[k + 1], c = roots[k + 2], d = roots[k + 3];
            int h = Math.max(Math.max(heights[k], heights[k + 1]), Math.max(heights[k + 2], heights[k + 3]));
            for (int step = 0; step < h; step++) {
                a = step(nodes, a, x);
                b = step(nodes, b, x);
                c = step(nodes, c, x);
                d = step(nodes, d, x);
            }
            leafGains.add(a, bits);
            leafGains.add(b, bits);
            leafGains.add(c, bits);
            leafGains.add(d, bits);
        }
        for (; k < trees; k++) {
            leafGains.add(walk(roots[k], heights[k], x), bits);
        }
        normalise(bits);
        return bits;
    }

    /**
     * {@link #pathDepthContributions(double[])} of {@code rows[which[0..n)]}, equal to it row by row (each row's sums
     * in the same tree order), but walked tree by tree over all the rows, eight at once, so each tree is read from
     * memory once for the batch instead of once per row.
     */
    double[][] pathDepthContributions(double[][] rows, int[] which, int n) {
        double[][] bits = new double[n][];
        for (int i = 0; i < n; i++) {
            check(rows[which[i]], which[i]);
            bits[i] = new double[features];
        }
        long[] nodes = layout.packed;
        int[] leaves = new int[8];
        for (int k = 0; k < trees; k++) {
            int root = layout.roots[k];
            int h = layout.heights[k];
            int i = 0;
            for (; i + 8 <= n; i += 8) {
                walk8(nodes, root, h, rows, which, i, leaves);
                for (int j = 0; j < 8; j++) leafGains.add(leaves[j], bits[i + j]);
            }
            for (; i < n; i++) {
                leafGains.add(walk(root, h, rows[which[i]]), bits[i]);
            }
        }
        for (double[] b : bits) normalise(b);
        return bits;
    }

    /** Scales {@code bits} to sum 1 (left as it is when its sum is not positive). */
    private static void normalise(double[] bits) {
        double total = 0.0;
        for (double b : bits) {
            total += b;
        }
        if (total > 0) {
            for (int j = 0; j < bits.length; j++) {
                bits[j] /= total;
            }
        }
    }

    /** Smile's adjusted path length of {@code x} in tree {@code tree} (unchecked; for tests and diagnostics). */
    double path(int tree, double[] x) {
        return layout.depths[walk(layout.roots[tree], layout.heights[tree], x)];
    }

    /** The leaf {@code x} reaches from {@code node} in {@code height} steps (leaves loop on themselves). */
    private int walk(int node, int height, double[] x) {
        long[] nodes = layout.packed;
        for (int i = 0; i < height; i++) {
            node = step(nodes, node, x);
        }
        return node;
    }

    /** One step down: to the node's low child when x is below its threshold, else to the high child. */
    private static int step(long[] nodes, int node, double[] x) {
        long link = nodes[2 * node + 1];
        return (int) link + (x[(int) (link >>> 32)] < Double.longBitsToDouble(nodes[2 * node]) ? 0 : 1);
    }

    /** Same arithmetic, in the same order, as Smile's {@code IsolationForest.score}. */
    private double toScore(double length) {
        return Math.pow(2.0, -(length / trees) / c);
    }

    /**
     * Rejects rows the flat form would not score as Smile does: Smile sends a NaN right at every split, and an
     * infinity times a zero slope is NaN; the flat "x < threshold" test cannot honour both, and no feature
     * should be non-finite anyway.
     */
    private void check(double[] x, int row) {
        String where = row < 0 ? "feature row" : "feature row " + row;
        if (x == null || x.length != features) {
            int got = x == null ? 0 : x.length;
            throw SentinelException.badInput(where + " has " + got + " values, the model expects " + features);
        }
        for (int j = 0; j < x.length; j++) {
            if (!Double.isFinite(x[j])) {
                throw SentinelException.badInput(where + ", feature " + j + " is " + x[j] + "; features must be finite");
            }
        }
    }
}
