package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class RangeGuardTest {
    // feature 0: a count from 0 to 20; feature 1: constant 0 in training; feature 2: a share that reached 0.5
    private static final ModelBundle.FeatureStats STATS = new ModelBundle.FeatureStats(
            new double[] {0, 0, 0}, new double[] {3, 0, 0}, new double[] {18, 0, 0.4},
            new double[] {0, 0, 0}, new double[] {20, 0, 0.5});
    private final RangeGuard guard = new RangeGuard(STATS, RangeGuard.DEFAULT_MARGIN);

    @Test
    void valuesInsideTheTrainingRangeOrItsMarginPass() {
        assertEquals(0, guard.excess(new double[] {20, 0, 0.5}));
        assertEquals(0, guard.excess(new double[] {21.9, 0.09, 0.59}), "within 10% of the range (at least 1) beyond it");
        assertEquals(0, guard.excess(new double[] {-1.9, -0.09, -0.09}));
    }

    @Test
    void valuesBeyondAreMeasuredInUnitsOfTheRange() {
        assertEquals(0.5, guard.excess(new double[] {22.000001, 0, 0}, 0), 1e-6, "just past the margin");
        assertEquals(0.5 + 18.0 / 20, guard.excess(new double[] {40, 0, 0}, 0), 1e-12);
        assertEquals(0.5 + 0.9, guard.excess(new double[] {0, 1, 0}, 1), 1e-12, "any traversal where training had none");
        assertEquals(0.5 + 0.3, guard.excess(new double[] {0, 0, 0.9}, 2), 1e-12, "a share of 0.9 where training peaked at 0.5");
        assertEquals(0.5 + 18.0 / 20 + 0.5 + 0.9, guard.excess(new double[] {40, 1, 0}), 1e-12, "summed over features");
    }

    @Test
    void raisedScoresLandAboveTheCutAndGrowWithTheExcess() {
        double cut = 0.62;
        assertEquals(0.4, RangeGuard.raise(0.4, cut, 0), 1e-12, "inside: the forest's score stands");
        double edge = RangeGuard.raise(0.4, cut, 0.5), far = RangeGuard.raise(0.4, cut, 5);
        assertTrue(edge > cut && far > edge && far < 1, edge + " " + far);
        assertEquals(0.97, RangeGuard.raise(0.97, cut, 0.5), 1e-12, "never lowers a score");
    }

    @Test
    void noTrainingRowIsEverBeyondItsOwnRange() {
        double[][] rows = {{0, 0, 0}, {20, 0, 0.5}, {7, 0, 0.25}};
        RangeGuard own = new RangeGuard(Training.featureStats(rows), RangeGuard.DEFAULT_MARGIN);
        for (double[] row : rows) assertEquals(0, own.excess(row));
    }
}
