package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train.java and detect.java as processes on nginx-json and custom-pattern logs, configured only through config.yaml. */
class LogFormatsEndToEndTest {
    @TempDir Path dir;

    /** The simulator's combined lines rewritten by {@code as}; labels say which are attacks. */
    private List<Boolean> write(Path file, long seed, double anomalyRate, int count, Function<AccessRecord, String> as) throws Exception {
        TrafficSimulator sim = new TrafficSimulator(seed, anomalyRate, LogFormat.COMBINED);
        AccessLogParser combined = new AccessLogParser(LogFormat.COMBINED);
        Instant t = Instant.parse("2025-11-27T00:00:00Z");
        List<String> lines = new ArrayList<>();
        List<Boolean> attack = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TrafficSimulator.Event e = sim.next(t.plusMillis(50L * i));
            lines.add(as.apply(((ParseResult.Parsed) combined.parse(e.line())).record()));
            attack.add(e.anomaly());
        }
        Files.write(file, lines);
        return attack;
    }

    private void trainAndDetect(String configYaml, Function<AccessRecord, String> as) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), configYaml + "train_file: train.log\nmodel_file: m.bin\nlog_file: mix.log\n");
        write(dir.resolve("train.log"), 7, 0.0, 20_000, as);
        List<Boolean> attack = write(dir.resolve("mix.log"), 99, 0.1, 4_000, as);
        Path root = TestSupport.repoRoot();
        TestSupport.Run t = TestSupport.jbang(dir, null, null, 240, root.resolve("train.java").toString());
        assertEquals(0, t.exitCode(), t.stderr());
        assertTrue(t.stderr().contains("20,000 used"), t.stderr());
        TestSupport.Run d = TestSupport.jbang(dir, null, null, 240, root.resolve("detect.java").toString(), "--once", "--json");
        assertEquals(0, d.exitCode(), d.stderr());
        String[] out = d.stdout().split("\n");
        assertEquals(attack.size(), out.length);
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < out.length; i++) {
            assertFalse(out[i].contains("\"verdict\":\"unparsed\""), out[i]);
            boolean flagged = out[i].contains("\"verdict\":\"anomaly\"");
            if (flagged && attack.get(i)) tp++;
            if (flagged && !attack.get(i)) fp++;
            if (!flagged && attack.get(i)) fn++;
        }
        double recall = (double) tp / (tp + fn), precision = (double) tp / (tp + fp);
        System.out.printf("%s recall %.3f precision %.3f%n", configYaml.trim().replace('\n', ' '), recall, precision);
        assertTrue(recall >= 0.9 && precision >= 0.7, "recall " + recall + ", precision " + precision);
    }

    @Test
    void nginxJsonLogsTrainAndDetectAsWellAsCombined() throws Exception {
        trainAndDetect("log_format: nginx-json\n", r -> {
            try {
                return NginxJsonParserTest.toJson(r);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void customPatternLogsTrainAndDetectAsWellAsCombined() throws Exception {
        // a pipe-separated layout no built-in format reads: time|ip|status|bytes|method|target|protocol|agent
        trainAndDetect("log_format: custom\nlog_pattern: '(?<time>[^|]*)\\|(?<ip>[^|]*)\\|(?<status>\\d{3})\\|(?<bytes>[^|]*)\\|(?<method>[^|]*)\\|(?<path>[^|]*)\\|(?<protocol>[^|]*)\\|(?<agent>.*)'\n",
                r -> String.join("|", r.time(), r.ip(), Integer.toString(r.status()), Long.toString(r.bytes()), r.method(), r.target(), r.protocol(), r.userAgent()));
    }

    @Test
    void aWrongPatternStopsTrainingWithTheLineOfTheMistake() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "trees: 10\nlog_format: custom\nlog_pattern: '(?<ip>[0-9.]+ (?<status>\\d{3})'\n");
        TestSupport.Run t = TestSupport.jbang(dir, null, null, 240, TestSupport.repoRoot().resolve("train.java").toString());
        assertEquals(2, t.exitCode());
        assertTrue(t.stderr().startsWith("train: config.yaml:3: log_pattern: not a valid regex: Unclosed group"), t.stderr());
        assertEquals(1, t.stderr().strip().split("\n").length, t.stderr());
    }
}
