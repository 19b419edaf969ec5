// TrainedForest.java -- a trained Isolation Forest in its storable form: Smile's trees plus per-tree column maps.
package sentinel;

import java.io.Serializable;
import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;

/**
 * The trained forest in its storable form: Smile's trees plus per-tree column maps. Serializable.
 *
 * <p>Tree {@code k} was built on rows projected onto {@code columns[k]} (the original feature indices that
 * vary inside its subsample), so {@code smile().score(x)} on a raw row is meaningless: use {@link ForestScorer}
 * on the live path, or {@link #referenceScore} to check it against Smile's own trees.
 *
 * @param smile      Smile's forest; its normaliser was built from {@code sampleSize}, as in the paper
 * @param columns    for each tree, the original feature index of each column the tree saw
 * @param features   width of the rows the forest was trained on
 * @param sampleSize rows per tree (the requested subsample size, capped at the training rows)
 * @param seed       the seed the trainer was given
 */
public record TrainedForest(IsolationForest smile, int[][] columns, int features, int sampleSize, long seed)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Smile's constant for c(n); kept identical so our scores match Smile's bit for bit. */
    private static final double EULER = 0.5772156649;

    public TrainedForest {
        if (smile == null || columns == null || columns.length != smile.size() || features < 1 || sampleSize < 2) {
            throw SentinelException.badInput("model file holds an inconsistent forest (trees, column maps or sizes)");
        }
        for (int[] cols : columns) {
            if (cols == null) {
                throw SentinelException.badInput("model file holds a tree without its column map");
            }
            for (int c : cols) {
                if (c < 0 || c >= features) {
                    throw SentinelException.badInput("model file maps a tree to feature " + c + " of " + features);
                }
            }
        }
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

    /** Slow reference score computed by Smile's own trees on projected rows; for checks, not the live path. */
    public double referenceScore(double[] x) {
        IsolationTree[] trees = smile.trees();
        double length = 0.0;
        for (int k = 0; k < trees.length; k++) {
            length += trees[k].path(project(x, k));
        }
        length /= trees.length;
        return Math.pow(2.0, -length / normalizer());
    }
}
