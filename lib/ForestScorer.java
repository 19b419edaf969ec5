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

    private final ForestLayout layout;
    private final int features;
    private final int trees;
    private final double c;

    /** Flattens every tree of {@code forest} once. */
    public ForestScorer(TrainedForest forest) {
        this.layout = ForestLayout.of(forest);
        this.features = forest.features();
        this.trees = layout.roots.length;
        this.c = forest.normalizer();
    }

    /** Width of the rows this forest scores. */
    public int features() {
        return features;
    }

    /** The anomaly score of {@code x}; throws {@link SentinelException#badInput} for a wrong width or a non-finite value. */
    public double score(double[] x) {
        check(x, -1);
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
                a = step(a, x);
                b = step(b, x);
                c = step(c, x);
                d = step(d, x);
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
        for (int i = 0; i < rows.length; i++) {
            check(rows[i], i);
        }
        int blocks = (rows.length + BLOCK - 1) / BLOCK;
        IntStream range = IntStream.range(0, blocks);
        if (rows.length >= PARALLEL_ROWS) {
            range = range.parallel();
        }
        range.forEach(b -> scoreBlock(rows, out, b * BLOCK, Math.min(rows.length, (b + 1) * BLOCK)));
    }

    private void scoreBlock(double[][] rows, double[] out, int from, int to) {
        double[] length = new double[to - from];
        double[] depths = layout.depths;
        for (int k = 0; k < layout.roots.length; k++) {
            int root = layout.roots[k];
            int h = layout.heights[k];
            int i = from;
            for (; i + 4 <= to; i += 4) {
                double[] x0 = rows[i], x1 = rows[i + 1], x2 = rows[i + 2], x3 = rows[i + 3];
                int a = root, b = root, c = root, d = root;
                for (int step = 0; step < h; step++) {
                    a = step(a, x0);
                    b = step(b, x1);
                    c = step(c, x2);
                    d = step(d, x3);
                }
                length[i - from] += depths[a];
                length[i + 1 - from] += depths[b];
                length[i + 2 - from] += depths[c];
                length[i + 3 - from] += depths[d];
            }
            for (; i < to; i++) {
                length[i - from] += depths[walk(root, h, rows[i])];
            }
        }
        for (int i = from; i < to; i++) {
            out[i] = toScore(length[i - from]);
        }
    }

    /**
     * How much each original feature did to isolate {@code x}, normalised to sum 1 (all zeros if no split on
     * x's path isolated anything). Formula: along x's path in every tree, a split on feature f that takes x
     * from a node that saw n training rows into a child that saw n' rows adds log2(n / n') to f: the number of
     * halvings of the sample that split did (a split that leaves x with the crowd adds ~0, one that cuts x off
     * alone adds log2 n). Leaf row counts are recovered from Smile's depth adjustment c(n); empty leaves count
     * as 1 row. Same input checks as {@link #score(double[])}.
     */
    public double[] pathDepthContributions(double[] x) {
        check(x, -1);
        double[] bits = new double[features];
        int[] links = layout.links;
        double[] log2Rows = layout.log2Rows;
        for (int node : layout.roots) {
            while (!layout.isLeaf(node)) {
                int child = step(node, x);
                bits[links[2 * node]] += log2Rows[node] - log2Rows[child];
                node = child;
            }
        }
        double total = 0.0;
        for (double b : bits) {
            total += b;
        }
        if (total > 0) {
            for (int j = 0; j < bits.length; j++) {
                bits[j] /= total;
            }
        }
        return bits;
    }

    /** Smile's adjusted path length of {@code x} in tree {@code tree} (unchecked; for tests and diagnostics). */
    double path(int tree, double[] x) {
        return layout.depths[walk(layout.roots[tree], layout.heights[tree], x)];
    }

    /** The leaf {@code x} reaches from {@code node} in {@code height} steps (leaves loop on themselves). */
    private int walk(int node, int height, double[] x) {
        for (int i = 0; i < height; i++) {
            node = step(node, x);
        }
        return node;
    }

    /** One step down: to the node's low child when x is below its threshold, else to the high child. */
    private int step(int node, double[] x) {
        int[] links = layout.links;
        return links[2 * node + 1] + (x[links[2 * node]] < layout.thresholds[node] ? 0 : 1);
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
