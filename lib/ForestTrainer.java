// ForestTrainer.java -- builds a seeded, paper-style Isolation Forest with Smile's tree classes, then flattens it.
//DEPS com.github.haifengl:smile-core:3.1.1
//DEPS org.slf4j:slf4j-nop:2.0.17
package sentinel;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;
import smile.math.MathEx;
import smile.stat.distribution.GaussianDistribution;

/**
 * Builds an Isolation Forest the way Liu, Ting and Zhou (ICDM 2008) do: each tree sees its own subsample of
 * {@code sampleSize} rows drawn without replacement, splits are axis-parallel (Smile's extension level 0), and
 * trees stop at the paper's height limit ceil(log2(sampleSize)). Same seed and data give the same forest.
 *
 * <p>Why not {@code IsolationForest.fit}: Smile 3.1.1 ignores its {@code subsample} argument, grows trees to
 * log2(n) by default and cannot be seeded; so we build each {@link IsolationTree} ourselves. The trees are then
 * read into {@link TrainedForest}'s flat form ({@link #flatten}), the only form that is scored and saved.
 */
public final class ForestTrainer {
    /** Odd (golden-ratio) step between per-tree seeds, so nearby seeds give unrelated tree streams. */
    private static final long TREE_SEED_STEP = 0x9E3779B97F4A7C15L;

    private final int trees;
    private final int sampleSize;
    private final long seed;

    /** A trainer for {@code trees} trees of {@code sampleSize} rows each (capped at the rows given to fit). */
    public ForestTrainer(int trees, int sampleSize, long seed) {
        if (trees < 1) {
            throw SentinelException.badInput("the forest needs at least 1 tree, got " + trees);
        }
        if (sampleSize < 2) {
            throw SentinelException.badInput("the sample size per tree must be at least 2, got " + sampleSize);
        }
        this.trees = trees;
        this.sampleSize = sampleSize;
        this.seed = seed;
    }

    /**
     * Fits a forest on {@code x} (rows of equal width, finite values). Throws {@link SentinelException#badInput}
     * for fewer than 2 rows, rows of different widths, zero-width rows, or NaN/infinite values. Trees are built
     * one after another (Smile's Gaussian draws share one generator) and Smile's random generator of the calling
     * thread is left reseeded.
     */
    public TrainedForest fit(double[][] x) {
        int width = checkRows(x);
        int m = Math.min(sampleSize, x.length);
        int maxDepth = 32 - Integer.numberOfLeadingZeros(m - 1); // ceil(log2(m)) for m >= 2
        int[] order = new int[x.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        IsolationTree[] built = new IsolationTree[trees];
        int[][] columns = new int[trees][];
        GaussianDistribution gauss = GaussianDistribution.getInstance();
        // Smile draws every slope from this one shared singleton; holding it keeps our own trainers (e.g. tests
        // or notebooks fitting in parallel) from interleaving draws, which would break reproducibility.
        synchronized (gauss) {
            for (int k = 0; k < trees; k++) {
                long treeSeed = seed + k * TREE_SEED_STEP;
                List<double[]> rows = subsample(x, order, m, new SplittableRandom(treeSeed));
                columns[k] = varyingColumns(rows, width);
                List<double[]> projected = project(rows, columns[k]);
                MathEx.setSeed(treeSeed);
                clearGaussianCache(gauss);
                // A subsample whose columns are all constant cannot be split: the paper makes it one leaf.
                int depth = columns[k].length == 0 ? 0 : maxDepth;
                built[k] = new IsolationTree(projected, depth, 0);
            }
        }
        return flatten(new IsolationForest(m, 0, built), columns, width, m, seed);
    }

    /**
     * The flat form of a forest Smile built, keeping {@code smile} for reference checks; tree k was built on rows
     * projected onto {@code columns[k]}. Throws {@link SentinelException#badInput} for an oblique split or column
     * maps that do not fit.
     */
    public static TrainedForest flatten(IsolationForest smile, int[][] columns, int features, int sampleSize, long seed) {
        IsolationTree[] trees = smile.trees();
        TrainedForest.checkColumns(columns, trees.length, features);
        SmileNodes read = new SmileNodes();
        int[] starts = new int[trees.length + 1];
        for (int k = 0; k < trees.length; k++) {
            starts[k + 1] = starts[k] + read.count(read.root(trees[k]));
        }
        int[] nodeFeatures = new int[starts[trees.length]];
        double[] nodeValues = new double[nodeFeatures.length];
        for (int k = 0; k < trees.length; k++) {
            int end = read.preorder(read.root(trees[k]), columns[k], starts[k], nodeFeatures, nodeValues);
            assert end == starts[k + 1];
        }
        return new TrainedForest(features, sampleSize, seed, columns, starts, nodeFeatures, nodeValues, smile);
    }

    /** Checks the training matrix and returns its width. */
    private static int checkRows(double[][] x) {
        if (x == null || x.length < 2) {
            throw SentinelException.badInput("training needs at least 2 rows, got " + (x == null ? 0 : x.length));
        }
        if (x[0] == null || x[0].length == 0) {
            throw SentinelException.badInput("training rows have no features");
        }
        int width = x[0].length;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != width) {
                int got = x[i] == null ? 0 : x[i].length;
                throw SentinelException.badInput("training row " + i + " has " + got + " features, row 0 has " + width);
            }
            for (int j = 0; j < width; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw SentinelException.badInput("training row " + i + ", feature " + j + " is " + x[i][j]);
                }
            }
        }
        return width;
    }

    /** Draws m distinct rows: a partial Fisher-Yates shuffle of {@code order}, which any prior order leaves uniform. */
    private static List<double[]> subsample(double[][] x, int[] order, int m, SplittableRandom rnd) {
        List<double[]> rows = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(order.length - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            rows.add(x[order[i]]);
        }
        return rows;
    }

    /**
     * The columns that take more than one value in {@code rows}. Why: Smile picks the split column among all
     * columns, and a column constant in the subsample yields a split that sends everything one way, wasting one
     * of the few levels; hashed tokens and rare flags are constant in most 256-row subsamples.
     */
    private static int[] varyingColumns(List<double[]> rows, int width) {
        double[] first = rows.get(0);
        int[] keep = new int[width];
        int n = 0;
        for (int j = 0; j < width; j++) {
            for (double[] r : rows) {
                if (r[j] != first[j]) {
                    keep[n++] = j;
                    break;
                }
            }
        }
        return Arrays.copyOf(keep, n);
    }

    private static List<double[]> project(List<double[]> rows, int[] cols) {
        List<double[]> out = new ArrayList<>(rows.size());
        for (double[] r : rows) {
            out.add(TrainedForest.project(r, cols));
        }
        return out;
    }

    /**
     * Empties the Box-Muller cache of Smile's shared Gaussian singleton. Why: {@code rand()} keeps the second value
     * of each pair in the private field {@code z1}, so without this a tree's slopes would depend on whatever drew
     * from the singleton before it in this JVM, and the same seed would not give the same forest.
     */
    private static void clearGaussianCache(GaussianDistribution gauss) {
        try {
            Field z1 = GaussianDistribution.class.getDeclaredField("z1");
            z1.setAccessible(true);
            z1.setDouble(gauss, Double.NaN);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw SentinelException.failure("cannot reset Smile's Gaussian generator (is Smile still 3.1.1?)", e);
        }
    }

    /** Reads Smile's package-private tree nodes; Smile 3.1.1 exposes no other way to walk a tree. */
    private static final class SmileNodes {
        private final Field root;
        private final Field depth;
        private final Field slope;
        private final Field intercept;
        private final Field bias;
        private final Field left;
        private final Field right;

        SmileNodes() {
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

        int count(Object node) {
            Object l = get(left, node);
            return l == null ? 1 : 1 + count(l) + count(get(right, node));
        }

        /**
         * Writes {@code node}'s subtree in flat preorder from index {@code at}, as {@link TrainedForest#split} turns
         * each split into "x[feature] &lt; threshold" (swapping Smile's children when the slope is negative);
         * returns the index after it.
         */
        int preorder(Object node, int[] cols, int at, int[] nodeFeatures, double[] nodeValues) {
            Object l = get(left, node);
            if (l == null) {
                nodeFeatures[at] = -1;
                nodeValues[at] = (Double) get(depth, node);
                return at + 1;
            }
            double[] s = (double[]) get(slope, node);
            double[] v = (double[]) get(intercept, node);
            if (s == null || v == null || s.length != cols.length || v.length != cols.length || cols.length == 0) {
                throw SentinelException.badInput("the forest holds a split whose width differs from its tree's column map");
            }
            TrainedForest.Split split = TrainedForest.split(s, v, (Double) get(bias, node));
            Object r = get(right, node);
            nodeFeatures[at] = cols[split.column()];
            nodeValues[at] = split.threshold();
            int next = preorder(split.swap() ? r : l, cols, at + 1, nodeFeatures, nodeValues);
            return preorder(split.swap() ? l : r, cols, next, nodeFeatures, nodeValues);
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
