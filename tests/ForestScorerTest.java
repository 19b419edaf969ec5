// ForestScorerTest.java -- flat-array scoring equals Smile's own trees, batch equals single, explanations point right.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;

class ForestScorerTest {

    /** Mixed columns like real features: Gaussian, heavy-tailed counts, 0/1 flags, a rare flag and a constant. */
    private static double[][] mixedRows(int n, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][7];
        for (double[] row : x) {
            row[0] = r.nextGaussian();
            row[1] = 1e6 * r.nextGaussian();
            row[2] = Math.floor(Math.exp(3 * r.nextDouble()));
            row[3] = r.nextBoolean() ? 1 : 0;
            row[4] = r.nextInt(1000) == 0 ? 1 : 0;
            row[5] = 3.25;
            row[6] = -1e-300 * r.nextDouble();
        }
        return x;
    }

    @Test
    void scoreEqualsSmileTreesOnProjectedRows() {
        double[][] train = mixedRows(5000, 1);
        TrainedForest f = new ForestTrainer(100, 256, 3).fit(train);
        ForestScorer s = new ForestScorer(f);
        double[][] test = mixedRows(20_000, 2);
        double worst = 0;
        for (double[] x : test) {
            worst = Math.max(worst, Math.abs(s.score(x) - f.referenceScore(x)));
        }
        for (double[] x : train) {
            worst = Math.max(worst, Math.abs(s.score(x) - f.referenceScore(x)));
        }
        assertTrue(worst <= 1e-12, "largest difference from Smile " + worst);
    }

    @Test
    void scoreEqualsSmileOwnScoreWhenEveryColumnVaries() {
        double[][] x = ForestTrainerTest.clusterWithOutliers(3000, 20, 4, 9);
        TrainedForest f = new ForestTrainer(100, 256, 5).fit(x);
        for (int[] cols : f.columns()) {
            assertArrayEquals(new int[] {0, 1, 2, 3}, cols);
        }
        ForestScorer s = new ForestScorer(f);
        for (double[] row : x) {
            assertEquals(f.smile().score(row), s.score(row), 1e-12, "same normaliser c(256) and paths as Smile");
        }
    }

    @Test
    void everyTreeAgreesWithSmileAtEachSplitBoundary() {
        double[][] train = mixedRows(3000, 4);
        TrainedForest f = new ForestTrainer(30, 256, 8).fit(train);
        ForestScorer s = new ForestScorer(f);
        ForestLayout layout = ForestLayout.of(f);
        IsolationTree[] trees = f.smile().trees();
        int checked = 0;
        for (int k = 0; k < trees.length; k++) {
            int end = k + 1 < trees.length ? layout.roots[k + 1] : layout.depths.length;
            for (int node = layout.roots[k]; node < end; node++) {
                if (layout.isLeaf(node)) continue;
                int feature = layout.links[2 * node];
                double t = layout.thresholds[node];
                for (double v : new double[] {Math.nextDown(t), t, Math.nextUp(t)}) {
                    if (!Double.isFinite(v)) continue;
                    for (double[] base : new double[][] {train[node % train.length], train[(node * 7) % train.length]}) {
                        double[] x = base.clone();
                        x[feature] = v;
                        assertEquals(trees[k].path(f.project(x, k)), s.path(k, x), "tree " + k + " node " + node);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 1000, checked + " boundary rows");
    }

    @Test
    void splitThresholdIsExactForHardSlopesAndIntercepts() {
        double[] slopes = {1.0, -1.0, 0.7310585786300049, -2.5e-8, 3.1e7, -0.3333333333333333, 1e-300};
        double[] intercepts = {0.1, -0.1, 0.0, -0.0, 1e-310, 12345.678901, -3.0e200, 7.0};
        for (double slope : slopes) {
            for (double v : intercepts) {
                double bias = v * slope;
                TrainedForest.Split split = TrainedForest.split(new double[] {0, slope}, new double[] {5, v}, bias);
                assertEquals(1, split.column());
                double x = v;
                for (int i = 0; i < 300; i++) x = Math.nextDown(x);
                for (int i = 0; i < 600; i++, x = Math.nextUp(x)) {
                    boolean smileLeft = x * slope < bias;
                    boolean flatLeft = (x < split.threshold()) != split.swap();
                    assertEquals(smileLeft, flatLeft, "slope " + slope + " intercept " + v + " x " + x);
                }
            }
        }
    }

    @Test
    void batchEqualsSingleForSmallAndParallelBatches() {
        TrainedForest f = new ForestTrainer(100, 256, 6).fit(mixedRows(4000, 5));
        ForestScorer s = new ForestScorer(f);
        for (int n : new int[] {1, 100, 257, 10_000}) {
            double[][] rows = mixedRows(n, 100 + n);
            double[] batch = new double[n];
            s.score(rows, batch);
            double[] single = new double[n];
            for (int i = 0; i < n; i++) single[i] = s.score(rows[i]);
            assertArrayEquals(single, batch, n + " rows");
        }
    }

    @Test
    void earlyStoppingKeepsEveryVerdictAndEveryScoreAboveTheCut() {
        TrainedForest f = new ForestTrainer(100, 256, 13).fit(mixedRows(4000, 14));
        ForestScorer s = new ForestScorer(f);
        double[][] rows = mixedRows(3000, 15);
        for (int i = 0; i < rows.length; i += 10) rows[i][1] *= 50; // some rows far out, so both verdicts occur
        double[] exact = new double[rows.length];
        s.score(rows, 0, rows.length, exact, Double.NaN);
        double[] sorted = exact.clone();
        java.util.Arrays.sort(sorted);
        int[] stopped = new int[2];
        double[] zs = {Double.POSITIVE_INFINITY, ForestScorer.STOP_Z};
        for (int t = 0; t < zs.length; t++) {
            for (double cut : new double[] {sorted[100], sorted[1500], sorted[2700], sorted[2999], 0.5, 1.0, 0.0, -1.0}) {
                double[] early = new double[rows.length];
                s.score(rows, 0, rows.length, early, cut, zs[t]);
                for (int i = 0; i < rows.length; i++) {
                    assertEquals(exact[i] > cut, early[i] > cut, "verdict of row " + i + " at cut " + cut + ", z " + zs[t]);
                    if (exact[i] > cut) {
                        assertEquals(exact[i], early[i], 0.0, "an anomaly's score is exact");
                    } else if (early[i] != exact[i]) {
                        stopped[t]++;
                        assertTrue(early[i] <= cut, early[i] + " for " + exact[i]);
                        // the exact test alone gives a bound on the score; the statistical one an estimate
                        if (t == 0) assertTrue(early[i] >= exact[i] - 1e-12, "bound " + early[i] + " for " + exact[i]);
                    }
                }
            }
        }
        assertTrue(stopped[0] > 1000, stopped[0] + " rows stopped early on the exact test");
        assertTrue(stopped[1] > stopped[0], "the statistical test stops more rows: " + stopped[1] + " against " + stopped[0]);
    }

    @Test
    void contributionsPointAtTheFeatureThatIsolatesTheRow() {
        double[][] x = ForestTrainerTest.clusterWithOutliers(4000, 0, 6, 10);
        ForestScorer s = new ForestScorer(new ForestTrainer(100, 256, 12).fit(x));
        for (int far = 0; far < 6; far++) {
            double[] row = new double[6];
            row[far] = 9;
            double[] c = s.pathDepthContributions(row);
            double sum = 0;
            int best = 0;
            for (int j = 0; j < c.length; j++) {
                sum += c[j];
                if (c[j] > c[best]) best = j;
            }
            assertEquals(1.0, sum, 1e-9);
            assertEquals(far, best, "feature " + far + " is the far one");
            assertTrue(c[far] > 0.5, "its share " + c[far]);
        }
    }

    /** The definition, step by step: every split on x's path credits its feature with log2(rows before / rows after). */
    static double[] contributionsByWalking(TrainedForest forest, double[] x) {
        ForestLayout l = ForestLayout.of(forest);
        double[] bits = new double[x.length];
        for (int k = 0; k < l.roots.length; k++) {
            for (int node = l.roots[k]; !l.isLeaf(node); ) {
                int child = l.links[2 * node + 1] + (x[l.links[2 * node]] < l.thresholds[node] ? 0 : 1);
                bits[l.links[2 * node]] += l.log2Rows[node] - l.log2Rows[child];
                node = child;
            }
        }
        double total = java.util.Arrays.stream(bits).sum();
        if (total > 0) for (int j = 0; j < bits.length; j++) bits[j] /= total;
        return bits;
    }

    @Test
    void contributionsFromLeafSumsEqualTheStepByStepDefinition() {
        double[][] train = mixedRows(5000, 21);
        TrainedForest forest = new ForestTrainer(100, 256, 22).fit(train);
        ForestScorer s = new ForestScorer(forest);
        double[][] probes = mixedRows(2000, 23);
        for (double[] row : probes) {
            double[] expected = contributionsByWalking(forest, row);
            double[] got = s.pathDepthContributions(row);
            for (int j = 0; j < row.length; j++) assertEquals(expected[j], got[j], 1e-12, "feature " + j);
        }
    }

    @Test
    void contributionsOfABatchEqualThoseRowByRow() {
        TrainedForest forest = new ForestTrainer(100, 256, 24).fit(mixedRows(3000, 25));
        ForestScorer s = new ForestScorer(forest);
        double[][] rows = mixedRows(300, 26);
        for (int n : new int[] {0, 1, 7, 8, 9, 61}) {
            int[] which = new int[n];
            for (int i = 0; i < n; i++) which[i] = (i * 37) % rows.length; // any rows, in any order
            double[][] batch = s.pathDepthContributions(rows, which, n);
            assertEquals(n, batch.length);
            for (int i = 0; i < n; i++) assertArrayEquals(s.pathDepthContributions(rows[which[i]]), batch[i], 0.0, n + " rows, row " + i);
        }
    }

    @Test
    void centreScoresBelowHalfAndFarCornerAboveEveryTrainingRow() {
        double[][] x = ForestTrainerTest.clusterWithOutliers(4000, 0, 3, 11);
        ForestScorer s = new ForestScorer(new ForestTrainer(100, 256, 2).fit(x));
        double[] train = new double[x.length];
        s.score(x, train);
        double far = s.score(new double[] {9, -9, 9});
        assertTrue(s.score(new double[] {0, 0, 0}) < 0.45, "centre " + s.score(new double[] {0, 0, 0}));
        assertTrue(far > java.util.Arrays.stream(train).max().orElseThrow(), "far point " + far);
        assertEquals(3, s.features());
    }

    @Test
    void obliqueSmileForestIsRejectedWithStatus2() {
        double[][] x = ForestTrainerTest.clusterWithOutliers(500, 0, 3, 12);
        IsolationForest oblique = IsolationForest.fit(x, 5, 4, 0.5, 2);
        int[][] identity = {{0, 1, 2}, {0, 1, 2}, {0, 1, 2}, {0, 1, 2}, {0, 1, 2}};
        ForestTrainerTest.assertBadInput(() -> ForestTrainer.flatten(oblique, identity, 3, 256, 0), "oblique split");
    }

    @Test
    void rejectsWrongWidthAndNonFiniteFeaturesWithStatus2() {
        ForestScorer s = new ForestScorer(new ForestTrainer(10, 256, 1).fit(mixedRows(500, 3)));
        ForestTrainerTest.assertBadInput(() -> s.score(new double[6]), "has 6 values, the model expects 7");
        double[] nan = new double[7];
        nan[2] = Double.NaN;
        ForestTrainerTest.assertBadInput(() -> s.score(nan), "feature 2 is NaN");
        ForestTrainerTest.assertBadInput(() -> s.pathDepthContributions(nan), "feature 2 is NaN");
        ForestTrainerTest.assertBadInput(() -> s.score(new double[][] {new double[7], nan}, new double[2]), "row 1");
    }
}
