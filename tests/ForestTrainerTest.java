// ForestTrainerTest.java -- the trainer builds seeded, subsampled, height-limited forests and rejects bad data.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import smile.stat.distribution.GaussianDistribution;

class ForestTrainerTest {

    /** n standard Gaussian inliers in {@code dims} dimensions, then {@code outliers} points at radius 8. */
    static double[][] clusterWithOutliers(int n, int outliers, int dims, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n + outliers][dims];
        for (int i = 0; i < n + outliers; i++) {
            double norm = 0;
            for (int j = 0; j < dims; j++) {
                x[i][j] = r.nextGaussian();
                norm += x[i][j] * x[i][j];
            }
            for (int j = 0; i >= n && j < dims; j++) {
                x[i][j] *= 8 / Math.sqrt(norm);
            }
        }
        return x;
    }

    /** Share of (outlier, inlier) pairs in which the outlier scores higher; ties count half. */
    static double auc(double[] scores, int inliers) {
        double wins = 0;
        for (int o = inliers; o < scores.length; o++) {
            for (int i = 0; i < inliers; i++) {
                wins += scores[o] > scores[i] ? 1 : scores[o] == scores[i] ? 0.5 : 0;
            }
        }
        return wins / ((double) (scores.length - inliers) * inliers);
    }

    static double[] scores(TrainedForest f, double[][] x) {
        double[] out = new double[x.length];
        new ForestScorer(f).score(x, out);
        return out;
    }

    static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    @Test
    void sameSeedGivesIdenticalForestTwiceInOneJvm() throws Exception {
        double[][] x = clusterWithOutliers(3000, 10, 6, 1);
        TrainedForest a = new ForestTrainer(50, 256, 42).fit(x);
        // Leave a value in the shared Gaussian singleton's Box-Muller cache, as other Smile code might.
        GaussianDistribution.getInstance().rand();
        TrainedForest b = new ForestTrainer(50, 256, 42).fit(x);
        assertArrayEquals(serialize(a.smile()), serialize(b.smile()), "same seed, same data: byte-identical Smile forests");
        assertArrayEquals(a.nodeFeatures(), b.nodeFeatures());
        assertArrayEquals(a.nodeValues(), b.nodeValues());
        assertArrayEquals(scores(a, x), scores(b, x));
    }

    @Test
    void differentSeedGivesDifferentForest() {
        double[][] x = clusterWithOutliers(3000, 10, 6, 1);
        double[] a = scores(new ForestTrainer(50, 256, 42).fit(x), x);
        double[] b = scores(new ForestTrainer(50, 256, 43).fit(x), x);
        long differing = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) differing++;
        }
        assertTrue(differing > a.length * 0.9, differing + " of " + a.length + " scores differ");
    }

    @Test
    void eachTreeIsBuiltOnItsOwnSubsampleOfSampleSizeRows() {
        double[][] x = clusterWithOutliers(20_000, 0, 4, 2);
        TrainedForest f = new ForestTrainer(30, 256, 7).fit(x);
        assertEquals(256, f.sampleSize());
        ForestLayout layout = ForestLayout.of(f);
        for (int k = 0; k < 30; k++) {
            // 20,000 rows in at most 256 leaves would leave some leaf with 78+ rows and the sum at 20,000.
            assertTrue(layout.rowsAtLeast[k] <= 256 && 256 <= layout.rowsAtMost[k],
                    "tree " + k + " saw between " + layout.rowsAtLeast[k] + " and " + layout.rowsAtMost[k] + " rows");
        }
        assertEquals(8, maxDepth(layout), "height limit ceil(log2 256)");
        assertEquals(8, Arrays.stream(layout.heights).max().orElseThrow());
    }

    @Test
    void capsSampleSizeAtTheRowsGiven() {
        double[][] x = clusterWithOutliers(100, 0, 3, 3);
        TrainedForest f = new ForestTrainer(20, 256, 7).fit(x);
        assertEquals(100, f.sampleSize());
        ForestLayout layout = ForestLayout.of(f);
        for (int k = 0; k < 20; k++) {
            assertTrue(layout.rowsAtLeast[k] <= 100 && 100 <= layout.rowsAtMost[k]);
        }
        assertTrue(maxDepth(layout) <= 7, "height limit ceil(log2 100) = 7");
    }

    /** The deepest leaf over all trees, walking the flat links. */
    private static int maxDepth(ForestLayout layout) {
        int deepest = 0;
        for (int root : layout.roots) {
            deepest = Math.max(deepest, depth(layout, root));
        }
        return deepest;
    }

    private static int depth(ForestLayout layout, int node) {
        if (layout.isLeaf(node)) return 0;
        int lo = layout.links[2 * node + 1];
        return 1 + Math.max(depth(layout, lo), depth(layout, lo + 1));
    }

    @Test
    void isolatesFarPointsFromGaussianCluster() {
        double[][] x = clusterWithOutliers(5000, 25, 5, 4);
        double auc = auc(scores(new ForestTrainer(100, 256, 11).fit(x), x), 5000);
        assertTrue(auc > 0.99, "AUC " + auc);
    }

    @Test
    void constantColumnsDoNotWeakenIsolation() {
        double[][] informative = clusterWithOutliers(5000, 25, 2, 5);
        double[][] padded = new double[informative.length][32];
        for (int i = 0; i < padded.length; i++) {
            for (int j = 0; j < 30; j++) {
                padded[i][j] = j % 3 == 0 ? 0.0 : j; // constant per column, as rare flags are in most subsamples
            }
            padded[i][30] = informative[i][0];
            padded[i][31] = informative[i][1];
        }
        TrainedForest plain = new ForestTrainer(100, 256, 13).fit(informative);
        TrainedForest wide = new ForestTrainer(100, 256, 13).fit(padded);
        for (int[] cols : wide.columns()) {
            assertArrayEquals(new int[] {30, 31}, cols, "trees see only the columns that vary");
        }
        double aucPlain = auc(scores(plain, informative), 5000);
        double aucWide = auc(scores(wide, padded), 5000);
        assertTrue(aucWide > 0.99, "AUC with 30 constant columns " + aucWide);
        assertEquals(aucPlain, aucWide, 0.005, "constant columns change isolation");
    }

    @Test
    void subsampleWithNoVaryingColumnBecomesOneLeafPerTree() {
        double[][] x = new double[50][3];
        for (double[] row : x) Arrays.fill(row, 1.5);
        TrainedForest f = new ForestTrainer(5, 256, 1).fit(x);
        ForestScorer s = new ForestScorer(f);
        // Every tree is a root leaf at c(50): path = c, score = 2^-1.
        assertEquals(0.5, s.score(new double[] {1.5, 1.5, 1.5}), 1e-12);
        assertEquals(0.5, s.score(new double[] {9, -9, 0}), 1e-12);
    }

    @Test
    void forestRebuiltFromItsFlatTreesHasIdenticalLayoutAndScores() {
        double[][] x = clusterWithOutliers(2000, 10, 4, 6);
        TrainedForest f = new ForestTrainer(40, 256, 9).fit(x);
        // what loading a model does: only the flat trees and sizes, no Smile objects
        TrainedForest back = new TrainedForest(f.features(), f.sampleSize(), f.seed(), f.columns(), f.starts(), f.nodeFeatures(),
                f.nodeValues(), null);
        assertLayoutsEqual(f.layout(), back.layout());
        assertArrayEquals(scores(f, x), scores(back, x));
        assertEquals(null, back.smile());
        assertThrows(IllegalStateException.class, () -> back.referenceScore(x[0]));
    }

    /** Every array scoring and explanations read, compared exactly. */
    static void assertLayoutsEqual(ForestLayout a, ForestLayout b) {
        assertArrayEquals(a.roots, b.roots);
        assertArrayEquals(a.heights, b.heights);
        assertArrayEquals(a.links, b.links);
        assertArrayEquals(a.thresholds, b.thresholds);
        assertArrayEquals(a.depths, b.depths);
        assertArrayEquals(a.log2Rows, b.log2Rows);
        assertArrayEquals(a.rowsAtLeast, b.rowsAtLeast);
        assertArrayEquals(a.rowsAtMost, b.rowsAtMost);
        assertArrayEquals(a.packed, b.packed);
        assertArrayEquals(a.gains, b.gains);
        assertArrayEquals(a.minDepths, b.minDepths);
    }

    @Test
    void aForestCannotBeJavaSerialized() {
        // models are written by ModelFormat only, so no Java stream of a forest exists to be read back
        TrainedForest f = new ForestTrainer(3, 256, 1).fit(clusterWithOutliers(300, 0, 2, 7));
        assertThrows(java.io.NotSerializableException.class, () -> serialize(f));
    }

    @Test
    void malformedFlatTreesAreRejectedWithStatus2() {
        TrainedForest f = new ForestTrainer(3, 256, 1).fit(clusterWithOutliers(300, 0, 2, 7));
        int[] starts = f.starts();
        int[] features = f.nodeFeatures();
        double[] values = f.nodeValues();
        // the last tree's root becomes a leaf: its other nodes are left over
        int[] cut = features.clone();
        cut[starts[2]] = -1;
        double[] leafValues = values.clone();
        leafValues[starts[2]] = 1.0;
        assertBadInput(() -> new TrainedForest(2, 256, 1, f.columns(), starts, cut, leafValues, null), "after its last leaf");
        // a leaf turned into a split: the tree ends with children missing
        int firstLeaf = 0;
        while (features[firstLeaf] >= 0) firstLeaf++;
        int[] grown = features.clone();
        grown[firstLeaf] = f.columns()[0][0];
        assertBadInput(() -> new TrainedForest(2, 256, 1, f.columns(), starts, grown, values, null), "tree 0");
        int[] wide = features.clone();
        wide[0] = 2;
        assertBadInput(() -> new TrainedForest(2, 256, 1, f.columns(), starts, wide, values, null), "split on feature 2");
        double[] nan = values.clone();
        nan[0] = Double.NaN;
        assertBadInput(() -> new TrainedForest(2, 256, 1, f.columns(), starts, features, nan, null), "NaN");
        double[] negative = values.clone();
        negative[firstLeaf] = -1;
        assertBadInput(() -> new TrainedForest(2, 256, 1, f.columns(), starts, features, negative, null), "path length -1.0");
        assertBadInput(() -> new TrainedForest(2, 256, 1, f.columns(), new int[] {0, 5, 5, features.length}, features, values, null),
                "no nodes");
    }

    @Test
    void rejectsTooFewRowsRaggedRowsAndNonFiniteValuesWithStatus2() {
        ForestTrainer t = new ForestTrainer(10, 256, 1);
        assertBadInput(() -> t.fit(new double[][] {{1, 2}}), "at least 2 rows");
        assertBadInput(() -> t.fit(new double[0][]), "at least 2 rows");
        assertBadInput(() -> t.fit(null), "at least 2 rows");
        assertBadInput(() -> t.fit(new double[][] {{1, 2}, {3}}), "row 1 has 1 features");
        assertBadInput(() -> t.fit(new double[][] {{1, 2}, {3, Double.NaN}}), "row 1, feature 1 is NaN");
        assertBadInput(() -> t.fit(new double[][] {{Double.POSITIVE_INFINITY, 2}, {3, 4}}), "row 0, feature 0");
        assertBadInput(() -> t.fit(new double[][] {{}, {}}), "no features");
        assertBadInput(() -> new ForestTrainer(0, 256, 1), "at least 1 tree");
        assertBadInput(() -> new ForestTrainer(10, 1, 1), "at least 2");
    }

    @Test
    void modelWithColumnMapOutsideItsFeaturesIsRejectedWithStatus2() {
        TrainedForest f = new ForestTrainer(3, 256, 1).fit(clusterWithOutliers(300, 0, 2, 7));
        int[][] bad = {{0, 1}, {0, 2}, {1}};
        assertBadInput(() -> ForestTrainer.flatten(f.smile(), bad, 2, 256, 1), "feature 2 of 2");
        assertBadInput(() -> ForestTrainer.flatten(f.smile(), new int[2][], 2, 256, 1), "forest is inconsistent");
    }

    static void assertBadInput(Runnable r, String messagePart) {
        SentinelException e = assertThrows(SentinelException.class, r::run);
        assertEquals(ExitCodes.BAD_INPUT, e.status());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one-line message");
    }
}
