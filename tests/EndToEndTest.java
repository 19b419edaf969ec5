package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real scripts as separate processes, as a user would: simulate, train, detect. */
class EndToEndTest {
    @TempDir static Path dir;
    static Path root;

    static TestSupport.Run run(String stdin, String... args) throws Exception {
        String[] full = args.clone();
        full[0] = root.resolve(args[0]).toString();
        return TestSupport.jbang(dir, stdin, null, 240, full);
    }

    @BeforeAll
    static void trainOnSimulatedNormalTraffic() throws Exception {
        root = TestSupport.repoRoot();
        TestSupport.Run sim = run(null, "simulate.java", "--mode", "train", "--count", "20000", "--rate", "0", "--seed", "7",
                "--log-file", "train.log");
        assertEquals(0, sim.exitCode(), sim.stderr());
        TestSupport.Run t = run(null, "train.java", "--train-file", "train.log", "--model-file", "m.bin");
        assertEquals(0, t.exitCode(), t.stderr());
        assertEquals("Week 1: Model trained and saved successfully!\n", t.stdout());
        assertTrue(t.stderr().contains("20,000 used"), t.stderr());
    }

    @Test
    void detectsTheLabelledSimulatedMixWithTargetRecallAndPrecision() throws Exception {
        TestSupport.Run sim = run(null, "simulate.java", "--count", "4000", "--rate", "0", "--seed", "99", "--anomaly-rate", "0.1",
                "--log-file", "mix.log", "--labels", "labels.csv");
        assertEquals(0, sim.exitCode(), sim.stderr());
        TestSupport.Run d = run(null, "detect.java", "--once", "--from-start", "--json", "--log-file", "mix.log", "--model-file", "m.bin");
        assertEquals(0, d.exitCode(), d.stderr());
        List<String> labels = Files.readAllLines(dir.resolve("labels.csv"));
        String[] out = d.stdout().split("\n");
        assertEquals(4000, out.length, "exactly one JSON object per input line");
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < out.length; i++) {
            assertTrue(out[i].startsWith("{\"line_no\":" + (i + 1) + ","), "in input order: " + out[i]);
            boolean flagged = out[i].contains("\"verdict\":\"anomaly\"");
            boolean attack = labels.get(i + 1).split(",")[1].equals("1");
            if (flagged && attack) tp++;
            if (flagged && !attack) fp++;
            if (!flagged && attack) fn++;
        }
        double recall = (double) tp / (tp + fn), precision = (double) tp / (tp + fp);
        System.out.printf("simulated mix: recall %.3f, precision %.3f (tp %d, fp %d, fn %d)%n", recall, precision, tp, fp, fn);
        assertTrue(recall >= 0.9, "recall " + recall);
        assertTrue(precision >= 0.7, "precision " + precision);
        assertTrue(d.stderr().contains("4000 lines"), d.stderr());
    }

    @Test
    void retrainingPrintsTheWeekFourLineAndBadDataLeavesTheModelAlone() throws Exception {
        Files.copy(dir.resolve("m.bin"), dir.resolve("m2.bin"));
        TestSupport.Run again = run(null, "train.java", "--train-file", "train.log", "--model-file", "m2.bin");
        assertEquals("Week 4: Model retrained and saved successfully!\n", again.stdout());
        byte[] before = Files.readAllBytes(dir.resolve("m2.bin"));
        Files.writeString(dir.resolve("empty.log"), "");
        TestSupport.Run empty = run(null, "train.java", "--train-file", "empty.log", "--model-file", "m2.bin");
        assertEquals(2, empty.exitCode());
        assertEquals(1, empty.stderr().strip().lines().count(), "one line: " + empty.stderr());
        assertTrue(empty.stderr().contains("usable lines"), empty.stderr());
        Files.writeString(dir.resolve("junk.log"), "garbage\n".repeat(500));
        assertEquals(2, run(null, "train.java", "--train-file", "junk.log", "--model-file", "m2.bin").exitCode());
        assertEquals(2, run(null, "train.java", "--train-file", "missing.log", "--model-file", "m2.bin").exitCode());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("m2.bin")), "the old model is untouched");
    }

    @Test
    void standardInputWorksAndUnparsedLinesAreReportedNotDropped() throws Exception {
        String good = "10.0.0.1 - - [27/Nov/2025:10:00:00 +0000] \"GET /home HTTP/1.1\" 200 500 \"-\" \"Mozilla/5.0\"";
        String stdin = good + "\nthis is not a log line\n\u001b[31mred\n" + good + "\n";
        TestSupport.Run d = run(stdin, "detect.java", "--once", "--log-file", "-", "--model-file", "m.bin");
        assertEquals(0, d.exitCode(), d.stderr());
        String[] lines = d.stdout().split("\n");
        assertEquals(4, lines.length, d.stdout());
        assertTrue(lines[1].startsWith("Unparsed ("), lines[1]);
        assertFalse(d.stdout().contains("\u001b"), "escape sequences from the log never reach the terminal");
        assertTrue(lines[2].contains("\\x1b[31mred"), lines[2]);
        assertTrue(d.stderr().contains("2 unparsed"), d.stderr());
    }

    @Test
    void missingOrCorruptModelIsAClearError() throws Exception {
        Files.writeString(dir.resolve("bad.bin"), "SENTINEL-MODEL 2\nnot gzip at all");
        TestSupport.Run d = run("", "detect.java", "--once", "--log-file", "-", "--model-file", "bad.bin", "--train-file", "none.log");
        assertEquals(2, d.exitCode());
        assertEquals("detect: bad.bin is corrupt (ZipException): retrain with ./jbang train.java",
                d.stderr().strip().replace(dir.toString() + "/", ""));
    }

    @Test
    void oneShotRunOnAMissingLogNamesTheKeyAndWhereItWasSet() throws Exception {
        Files.writeString(dir.resolve("missing-log.yaml"), "model_file: m.bin\nlog_file: gone/access.log\n");
        TestSupport.Run d = run("", "detect.java", "--config", "missing-log.yaml", "--once", "--quiet");
        assertEquals(2, d.exitCode(), d.stderr());
        assertEquals("detect: missing-log.yaml:2: log_file: gone/access.log does not exist", d.stderr().strip());
        assertEquals("", d.stdout());
    }

    @Test
    void aReaderThatStopsEarlyEndsDetectQuietlyLikeSigpipe() throws Exception {
        Files.write(dir.resolve("long.log"), java.util.Collections.nCopies(50_000,
                "10.0.0.1 - - [27/Nov/2025:10:00:00 +0000] \"GET /home HTTP/1.1\" 200 500 \"-\" \"Mozilla/5.0\""));
        String cmd = "'" + root.resolve("jbang") + "' --quiet '" + root.resolve("detect.java") + "' --once --log-file long.log --model-file m.bin"
                + " 2>pipe-err.txt | head -n 3 >head.txt; echo ${PIPESTATUS[0]} >status.txt";
        Process p = new ProcessBuilder("bash", "-c", cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(240, java.util.concurrent.TimeUnit.SECONDS), "detect | head finished");
        assertEquals(3, Files.readAllLines(dir.resolve("head.txt")).stream().filter(l -> l.contains(": 10.0.0.1 - - [27/Nov")).count());
        String err = Files.readString(dir.resolve("pipe-err.txt"));
        assertFalse(err.contains("internal error") || err.contains("Exception"), err);
        assertEquals("141", Files.readString(dir.resolve("status.txt")).strip(), err);
    }

    @Test
    void brokenConfigIsOneLineExitTwo() throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), "trees: 10\ncontamination: lots\n");
        TestSupport.Run d = run("", "detect.java", "--config", "broken.yaml", "--once", "--log-file", "-");
        assertEquals(2, d.exitCode());
        assertEquals("detect: broken.yaml:2: contamination: expected 'auto' or a number in (0, 0.5], got 'lots'", d.stderr().strip());
    }

    @Test
    void courseExamplesOnTheShippedTrainingLog() throws Exception {
        TestSupport.Run t = run(null, "train.java", "--train-file", root.resolve("logs/train_logs.txt").toString(), "--model-file", "shipped.bin");
        assertEquals(0, t.exitCode(), t.stderr());
        String ua = "\"https://www.example.com/\" \"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36\"";
        String normal = "10.0.0.1 - - [27/Nov/2025:10:00:00 +0000] \"GET /home HTTP/1.1\" 200 500 " + ua;
        String anomaly = "10.0.0.9 - - [27/Nov/2025:10:00:01 +0000] \"GET /admin HTTP/1.1\" 500 50 " + ua;
        Files.writeString(dir.resolve("course.log"), normal + "\n" + anomaly + "\n");
        TestSupport.Run d = run(null, "detect.java", "--once", "--from-start", "--log-file", "course.log", "--model-file", "shipped.bin");
        assertEquals(0, d.exitCode(), d.stderr());
        String[] lines = d.stdout().split("\n");
        assertEquals("OK: " + normal, lines[0]);
        assertTrue(lines[1].startsWith("🚨 Anomaly Detected: " + anomaly), lines[1]);
    }

    @Test
    void simulateToStandardOutputFeedsDetectOnStandardInput() throws Exception {
        TestSupport.Run sim = run(null, "simulate.java", "--count", "300", "--rate", "0", "--seed", "5", "--log-file", "-");
        assertEquals(0, sim.exitCode(), sim.stderr());
        assertEquals(300, sim.stdout().lines().count());
        assertTrue(sim.stderr().contains("wrote 300 lines") && sim.stderr().contains("to standard output"), sim.stderr());
        assertFalse(Files.exists(dir.resolve("-")), "'-' is standard output, not a file named '-'");
        TestSupport.Run d = run(sim.stdout(), "detect.java", "--once", "--log-file", "-", "--model-file", "m.bin");
        assertEquals(0, d.exitCode(), d.stderr());
        assertEquals(300, d.stdout().lines().filter(l -> l.startsWith("OK: ") || l.startsWith("🚨 Anomaly Detected: ")).count());
    }

    @Test
    void everyScriptsHelpIsCleanUsageWithoutPicocliWarnings() throws Exception {
        for (String script : List.of("train.java", "detect.java", "alert.java", "simulate.java")) {
            TestSupport.Run r = run(null, script, "--help");
            assertEquals(0, r.exitCode(), script + ": " + r.stderr());
            assertTrue(r.stdout().startsWith("Usage: " + script.replace(".java", "")), script + ": " + r.stdout());
            // picocli formats descriptions with String.format: a lone '%' makes it warn and print the raw text
            assertFalse(r.stderr().contains("WARN") || r.stdout().contains("WARN"), script + ": " + r.stderr());
        }
    }

    @Test
    void printConfigRedactsTheWebhook() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0SECRET/B0SECRET/SECRETSECRET");
        TestSupport.Run r = TestSupport.jbang(dir, null, env, 120, root.resolve("detect.java").toString(), "--print-config", "--trees", "7");
        assertEquals(0, r.exitCode(), r.stderr());
        assertFalse(r.stdout().contains("SECRET"), r.stdout());
        assertTrue(r.stdout().contains("trees:"), r.stdout());
        List<String> treeLines = new ArrayList<>(r.stdout().lines().filter(l -> l.startsWith("trees:")).toList());
        assertTrue(treeLines.get(0).contains("7") && treeLines.get(0).contains("--trees"), treeLines.toString());
    }
}
