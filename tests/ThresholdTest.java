package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ThresholdTest {
    private static double[] scores() {
        double[] s = new double[1000];
        for (int i = 0; i < s.length; i++) s[i] = 0.3 + i * 0.0003; // 0.3 .. 0.5997
        return s;
    }

    private static ModelSettings settings(double contamination, double scoreThreshold) {
        return new ModelSettings(contamination, scoreThreshold, 100, 256, 1, LogFormat.AUTO);
    }

    @Test
    void contaminationFlagsThatShareOfTrainingScores() {
        Threshold t = Threshold.calibrate(scores(), settings(0.01, Double.NaN));
        assertEquals(Threshold.quantile(scores(), 0.99), t.cut(), 1e-12);
        assertEquals(0.01, t.trainingAlertRate(), 0.0015);
        assertTrue(t.isAnomaly(0.6));
        assertFalse(t.isAnomaly(0.5));
    }

    @Test
    void autoUsesThePapersHalf() {
        Threshold t = Threshold.calibrate(scores(), settings(Double.NaN, Double.NaN));
        assertEquals(0.5, t.cut());
        assertEquals(Threshold.rateAbove(scores(), 0.5), t.trainingAlertRate());
        assertTrue(t.rule().contains("auto"));
    }

    @Test
    void fixedScoreThresholdWins() {
        Threshold t = Threshold.calibrate(scores(), settings(0.1, 0.55));
        assertEquals(0.55, t.cut());
    }

    @Test
    void quantileMatchesNumpyLinearInterpolation() {
        double[] v = {1, 2, 3, 4};
        assertEquals(2.5, Threshold.quantile(v, 0.5));
        assertEquals(3.97, Threshold.quantile(v, 0.99), 1e-12);
        assertEquals(4, Threshold.quantile(v, 1.0));
    }
}
