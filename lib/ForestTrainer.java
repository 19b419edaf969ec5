// ForestTrainer.java -- builds a seeded, paper-style Isolation Forest with Smile's tree classes.
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
 * log2(n) by default and cannot be seeded; so we build each {@link IsolationTree} ourselves.
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
        return new TrainedForest(new IsolationForest(m, 0, built), columns, width, m, seed);
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
}
