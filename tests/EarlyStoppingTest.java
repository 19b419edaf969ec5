package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forest's statistical early stop (ForestScorer.STOP_Z) against full scoring on whole logs with the shipped
 * settings: the verdicts must be the same line for line, and it must save most of the tree walks.
 */
class EarlyStoppingTest {
    @TempDir Path dir;

    /** Lines flagged by scoring with and without early stopping, and how many rows stopped early. */
    private static void assertSameVerdicts(ModelBundle bundle, List<String> lines) {
        Detector d = new Detector(bundle, LogFormat.AUTO);
        AccessLogParser parser = d.newParser();
        List<double[]> rows = new ArrayList<>();
        for (String line : lines) {
            if (parser.parse(line) instanceof ParseResult.Parsed p) rows.add(d.featurizer().featurize(p.record()));
        }
        double[][] x = rows.toArray(double[][]::new);
        double cut = bundle.threshold().cut();
        double[] exact = new double[x.length], early = new double[x.length];
        d.scorer().score(x, 0, x.length, exact, Double.NaN);
        d.scorer().score(x, 0, x.length, early, cut);
        int anomalies = 0, stopped = 0;
        for (int i = 0; i < x.length; i++) {
            assertEquals(exact[i] > cut, early[i] > cut, "line " + (i + 1) + ": exact score " + exact[i] + ", early " + early[i]);
            if (exact[i] > cut) anomalies++;
            else if (early[i] != exact[i]) stopped++;
        }
        assertTrue(anomalies > 0 && stopped > x.length / 2, anomalies + " anomalies, " + stopped + " of " + x.length + " stopped early");
    }

    @Test
    void simulatedTrafficWithAttacksKeepsEveryVerdict() throws Exception {
        Instant start = Instant.parse("2025-11-27T00:00:00Z");
        StringWriter train = new StringWriter(), live = new StringWriter();
        TrafficSimulator.writeBatch(42, 0.0, LogFormat.COMBINED, start, 20, 30_000, train);
        TrafficSimulator.writeBatch(9, 0.1, LogFormat.COMBINED, start, 20, 60_000, live);
        Path file = dir.resolve("train.log");
        Files.writeString(file, train.toString());
        ModelSettings defaults = Config.load(null, false, Map.of(), Map.of()).model();
        assertSameVerdicts(new Training(defaults).run(file, null, true).bundle(), live.toString().lines().toList());
    }

    @Test
    void realNginxTrafficKeepsEveryVerdict() throws Exception {
        Path data = TestSupport.nginxReal();
        Assumptions.assumeTrue(data != null, "../shared/data/nginx-real is absent: skipping early stopping on real traffic");
        ModelSettings defaults = Config.load(null, false, Map.of(), Map.of()).model();
        ModelBundle bundle = new Training(defaults).run(data.resolve("train_access.log"), null, true).bundle();
        assertSameVerdicts(bundle, Files.readAllLines(data.resolve("dev_access.log")));
    }
}
