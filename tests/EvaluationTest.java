package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    @Test
    void rocAucCountsOrderedPairsAndTiesHalf() {
        // the classic four-point example: three of the four (attack, normal) pairs are ordered right
        assertEquals(0.75, Evaluation.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 1e-12);
        assertEquals(1.0, Evaluation.rocAuc(new double[] {0.1, 0.2, 0.9}, new boolean[] {false, false, true}), 1e-12);
        assertEquals(0.5, Evaluation.rocAuc(new double[] {0.5, 0.5}, new boolean[] {true, false}), 1e-12, "a tie counts half");
        assertTrue(Double.isNaN(Evaluation.rocAuc(new double[] {0.1, 0.2}, new boolean[] {false, false})), "no attack, no AUC");
    }

    @Test
    void prAucIsAveragePrecision() {
        // highest first: attack (P 1/1), normal, attack (P 2/3), normal -> (1 + 2/3) / 2
        assertEquals(5.0 / 6, Evaluation.prAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}), 1e-12);
        assertEquals(0.5, Evaluation.prAuc(new double[] {0.5, 0.5}, new boolean[] {true, false}), 1e-12, "tied lines come in together");
    }

    @Test
    void precisionRecallAndEachSourcesShare() {
        List<String[]> labels = List.of(new String[] {"1", "1", "scanner"}, new String[] {"2", "1", "scanner"}, new String[] {"3", "1", "sqli"},
                new String[] {"4", "0", "normal"}, new String[] {"5", "0", "normal"}, new String[] {"6", "0", "normal"},
                new String[] {"7", "0", "normal"});
        boolean[] flagged = {true, true, false, true, false, false, false};
        Evaluation e = Evaluation.measure(new double[] {0.9, 0.8, 0.3, 0.7, 0.2, 0.1, 0.4}, flagged, labels, 0);
        assertEquals(2.0 / 3, e.precision(), 1e-12);
        assertEquals(2.0 / 3, e.recall(), 1e-12);
        assertEquals(2.0 / 3, e.f1(), 1e-12);
        assertEquals(0.25, e.normalFlaggedShare(), 1e-12);
        assertEquals(1.0, e.bySource().get("scanner")[2]);
        assertEquals(0.0, e.bySource().get("sqli")[2]);
        assertEquals(3, e.attacks());
        assertTrue(e.report().contains("scanner"), e.report());
    }

    @Test
    void trainingTwiceWithOneSeedGivesTheSameModelAndScores() {
        Path train = TestSupport.repoRoot().resolve("logs/train_logs.txt");
        ModelSettings s = new ModelSettings(0.001, Double.NaN, 50, 256, 11, LogFormat.AUTO);
        Training.Result a = new Training(s).run(train, null, true), b = new Training(s).run(train, null, true);
        assertArrayEquals(a.trainingScores(), b.trainingScores());
        assertEquals(a.bundle().threshold().cut(), b.bundle().threshold().cut());
        String[] lines = {"10.9.9.9 - - [27/Nov/2025:10:00:00 +0000] \"GET /.env HTTP/1.1\" 404 150 \"-\" \"curl/8.5.0\"",
            "10.9.9.9 - - [27/Nov/2025:10:00:01 +0000] \"GET /index.html HTTP/1.1\" 200 5120 \"-\" \"Mozilla/5.0\""};
        Detector da = new Detector(a.bundle(), LogFormat.AUTO), db = new Detector(b.bundle(), LogFormat.AUTO);
        for (String line : lines) assertEquals(da.judge(line, 1, null).score(), db.judge(line, 1, null).score());
        Training.Result other = new Training(new ModelSettings(0.001, Double.NaN, 50, 256, 12, LogFormat.AUTO)).run(train, null, true);
        assertFalse(java.util.Arrays.equals(a.trainingScores(), other.trainingScores()), "another seed, another forest");
    }

    @Test
    void meetsTheTargetsOnRealNginxTraffic() {
        Path data = TestSupport.nginxReal();
        Assumptions.assumeTrue(data != null, "../shared/data/nginx-real is absent: skipping the real-traffic evaluation");
        // the shipped defaults (contamination, trees, sample size, seed), as ./jbang evaluate.java uses them
        ModelSettings defaults = Config.load(null, false, Map.of(), Map.of()).model();
        Evaluation.Trial on = Evaluation.trainAndRun(defaults, true, data.resolve("train_access.log"), data.resolve("dev_access.log"),
                data.resolve("dev_labels.csv"));
        System.out.print(on.report());
        Evaluation e = on.evaluation();
        // measured: ROC AUC 0.9999, PR AUC 0.9994, precision 0.985, recall 0.998, 0.10% of normal lines, every tool >= 96%
        assertTrue(e.rocAuc() >= 0.999, "ROC AUC " + e.rocAuc());
        assertTrue(e.prAuc() >= 0.99, "PR AUC " + e.prAuc());
        assertTrue(e.precision() >= 0.975, "precision " + e.precision());
        assertTrue(e.recall() >= 0.99, "recall " + e.recall());
        assertTrue(e.normalFlaggedShare() <= 0.0015, "normal lines flagged " + e.normalFlaggedShare());
        for (Map.Entry<String, double[]> tool : e.bySource().entrySet()) {
            if (!tool.getKey().equals("normal")) assertTrue(tool.getValue()[2] >= 0.93, tool.getKey() + " " + tool.getValue()[2]);
        }
        Evaluation.Trial off = Evaluation.trainAndRun(defaults, false, data.resolve("train_access.log"), data.resolve("dev_access.log"),
                data.resolve("dev_labels.csv"));
        System.out.print(off.report());
        // measured without user-agent features: ROC AUC 0.9994, precision 0.979, recall 0.979
        assertTrue(off.evaluation().rocAuc() >= 0.998, "ROC AUC " + off.evaluation().rocAuc());
        assertTrue(off.evaluation().recall() >= 0.96, "recall " + off.evaluation().recall());
        assertTrue(off.evaluation().precision() >= 0.96, "precision " + off.evaluation().precision());
        assertTrue(on.json().contains("\"user_agent_features\":true") && off.json().contains("\"user_agent_features\":false"));
    }

    @Test
    void evaluateScriptPrintsTheReportOrJsonAndRefusesMissingFiles() throws Exception {
        Path dir = Files.createTempDirectory("sentinel-evaluate");
        List<String> normal = Files.readAllLines(TestSupport.repoRoot().resolve("logs/train_logs.txt")).subList(19_000, 19_060);
        StringBuilder log = new StringBuilder(), labels = new StringBuilder("line_no,label,source\n");
        for (int i = 0; i < normal.size(); i++) {
            boolean attack = i % 10 == 9;
            log.append(attack ? "10.66.0.1 - - [27/Nov/2025:23:59:59 +0000] \"GET /static/../../etc/passwd?q=%27%20OR%201=1-- HTTP/1.1\" 404 150 \"-\" \"x\""
                    : normal.get(i)).append('\n');
            labels.append(i + 1).append(attack ? ",1,probe\n" : ",0,normal\n");
        }
        Files.writeString(dir.resolve("mix.log"), log);
        Files.writeString(dir.resolve("labels.csv"), labels);
        String script = TestSupport.repoRoot().resolve("evaluate.java").toString();
        String[] common = {script, "--train", TestSupport.repoRoot().resolve("logs/train_logs.txt").toString(),
            "--test", dir.resolve("mix.log").toString(), "--labels", dir.resolve("labels.csv").toString(), "--trees", "20"};
        TestSupport.Run text = TestSupport.jbang(dir, null, null, 180, common);
        assertEquals(0, text.exitCode(), text.stderr());
        assertTrue(text.stdout().startsWith("model: contamination"), text.stdout());
        assertTrue(text.stdout().contains("ROC AUC") && text.stdout().contains("precision"), text.stdout());
        assertTrue(text.stdout().lines().anyMatch(l -> l.startsWith("probe ") && l.endsWith("100.00%")), text.stdout());
        String[] json = java.util.Arrays.copyOf(common, common.length + 2);
        json[common.length] = "--json";
        json[common.length + 1] = "--no-ua-features";
        TestSupport.Run j = TestSupport.jbang(dir, null, null, 180, json);
        assertEquals(0, j.exitCode(), j.stderr());
        assertEquals(1, j.stdout().lines().count(), j.stdout());
        assertTrue(j.stdout().contains("\"user_agent_features\":false") && j.stdout().contains("\"roc_auc\":"), j.stdout());
        TestSupport.Run missing = TestSupport.jbang(dir, null, null, 180, script, "--test", "none.log", "--labels", "labels.csv");
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
        assertEquals("evaluate: none.log does not exist or is not a file", missing.stderr().strip());
    }

    @Test
    void aLabelFileThatDoesNotMatchTheLogIsBadInput() throws Exception {
        Path dir = Files.createTempDirectory("sentinel-eval");
        Path log = Files.writeString(dir.resolve("mix.log"), "10.0.0.1 - - [27/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200 5\n".repeat(3));
        Path labels = Files.writeString(dir.resolve("labels.csv"), "line_no,label,source\n1,0,normal\n2,0,normal\n3,0,normal\n4,1,x\n");
        Training.Result t = new Training(new ModelSettings(0.01, Double.NaN, 10, 64, 1, LogFormat.AUTO))
                .run(TestSupport.repoRoot().resolve("logs/train_logs.txt"), null, true);
        SentinelException ex = assertThrows(SentinelException.class, () -> Evaluation.run(t.bundle(), LogFormat.AUTO, log, labels));
        assertEquals(ExitCodes.BAD_INPUT, ex.status());
        assertTrue(ex.getMessage().contains("3 lines"), ex.getMessage());
    }
}
