package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DetectorTest {
    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static ModelBundle bundle;

    @BeforeAll
    static void trainOnTheShippedNormalTraffic() {
        bundle = new Training(new ModelSettings(0.001, Double.NaN, 100, 256, 42, LogFormat.AUTO))
                .run(TestSupport.repoRoot().resolve("logs/train_logs.txt"), null, true).bundle();
    }

    private static String line(String ip, int second, String request, int status, String agent) {
        return String.format("%s - - [27/Nov/2025:10:%02d:%02d +0000] \"%s\" %d 512 \"-\" \"%s\"", ip, second / 60, second % 60, request,
                status, agent);
    }

    private static List<String> reasons(Verdict v) {
        return v.reasons().stream().map(Verdict.Contribution::feature).toList();
    }

    @Test
    void traversalNamesTraversalFirst() {
        Verdict v = new Detector(bundle, LogFormat.AUTO).judge(line("10.7.0.1", 0, "GET /static/../../../../etc/passwd HTTP/1.1", 200, BROWSER), 1, null);
        assertTrue(v.anomaly(), "score " + v.score());
        assertEquals("traversal", reasons(v).get(0), reasons(v).toString());
        Verdict.Contribution c = v.reasons().get(0);
        int j = bundle.schema().indexOf("traversal");
        assertEquals(v.features()[j], c.value());
        assertEquals(4, c.value());
        assertEquals(bundle.featureStats().low()[j], c.typicalLow());
        assertEquals(bundle.featureStats().high()[j], c.typicalHigh());
        assertTrue(c.value() > c.typicalHigh(), "the named value is outside its usual range");
    }

    @Test
    void aClientFullOf404sIsExplainedByItsBehaviour() {
        Detector d = new Detector(bundle, LogFormat.AUTO);
        Verdict v = null;
        for (int i = 0; i < 40; i++) v = d.judge(line("10.7.0.2", i / 4, "GET /backup-" + i + "/ HTTP/1.1", 404, BROWSER), i + 1, null);
        assertTrue(v.anomaly(), "score " + v.score());
        assertTrue(reasons(v).stream().anyMatch(f -> f.startsWith("client_")), "a per-client feature explains it: " + reasons(v));
        assertTrue(v.reasons().size() <= Detector.TOP_REASONS);
    }

    @Test
    void ordinaryLinesHaveNoReasonsAndAnomaliesNameOnlyUnusualValues() {
        Detector d = new Detector(bundle, LogFormat.AUTO);
        Verdict ok = d.judge(line("10.7.0.3", 0, "GET / HTTP/1.1", 200, BROWSER), 1, null);
        assertFalse(ok.anomaly(), "score " + ok.score());
        assertTrue(ok.reasons().isEmpty());
        Verdict odd = d.judge(line("10.7.0.4", 0, "GET /search?q=%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1", 200, BROWSER), 2, null);
        assertTrue(odd.anomaly(), "score " + odd.score());
        assertTrue(reasons(odd).contains("sql_tokens"), reasons(odd).toString());
        ModelBundle.FeatureStats st = bundle.featureStats();
        for (Verdict.Contribution c : d.explain(odd.features())) {
            int j = bundle.schema().indexOf(c.feature());
            assertNotEquals(st.mid()[j], c.value(), c.feature() + " is at its training median");
            assertTrue(c.value() < c.typicalLow() || c.value() > c.typicalHigh(),
                    "with a value never seen in training, only unusual values are named: " + c);
        }
    }
}
