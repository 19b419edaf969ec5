package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Week 4: a running detect swaps in a replaced model between two lines, and keeps its model when the new file is bad. */
class HotReloadTest {
    @TempDir Path dir;

    private static final Pattern N = Pattern.compile("GET /home\\?n=(\\d+) ");
    private static final Pattern THRESHOLD = Pattern.compile("\"threshold\":([0-9.]+)");

    private static String line(int n) {
        return "10.0.0." + (1 + n % 50) + " - - [27/Nov/2025:10:00:00 +0000] \"GET /home?n=" + n + " HTTP/1.1\" 200 500 \"-\" \"Mozilla/5.0\"";
    }

    private void append(Path log, int from, int to) throws Exception {
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            for (int i = from; i <= to; i++) w.write(line(i) + "\n");
        }
    }

    private static String waitFor(Path file, java.util.function.Predicate<String> done, long seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String text = "";
        while (System.nanoTime() < end) {
            text = Files.exists(file) ? Files.readString(file) : "";
            if (done.test(text)) return text;
            Thread.sleep(100);
        }
        return text;
    }

    @Test
    void replacedModelIsSwappedWithoutLosingOrRepeatingLinesAndABadOneIsRefused() throws Exception {
        Path root = TestSupport.repoRoot();
        String train = root.resolve("train.java").toString();
        String shipped = root.resolve("logs/train_logs.txt").toString();
        assertEquals(0, TestSupport.jbang(dir, null, null, 180, train, "--train-file", shipped, "--model-file", "m.bin").exitCode());
        assertEquals(0, TestSupport.jbang(dir, null, null, 180, train, "--train-file", shipped, "--model-file", "next.bin",
                "--seed", "7", "--contamination", "0.05").exitCode());
        Path log = dir.resolve("live.log");
        Files.writeString(log, "");
        Path out = dir.resolve("out.jsonl"), err = dir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("jbang").toString(), "--quiet", root.resolve("detect.java").toString(),
                "--from-start", "--json", "--log-file", "live.log", "--model-file", "m.bin")
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("SLACK_WEBHOOK_URL");
        Process detect = pb.start();
        try {
            append(log, 1, 1000);
            waitFor(out, t -> t.lines().count() >= 1000, 60);
            Files.move(dir.resolve("next.bin"), dir.resolve("m.bin"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            for (int k = 0; k < 20; k++) {
                append(log, 1001 + k * 100, 1100 + k * 100);
                Thread.sleep(100);
            }
            String e = waitFor(err, t -> t.contains("model reloaded"), 30);
            assertTrue(e.contains("model reloaded from m.bin"), e);
            Files.writeString(dir.resolve("bad.tmp"), "SENTINEL-MODEL 2\nnot a model");
            Files.move(dir.resolve("bad.tmp"), dir.resolve("m.bin"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            e = waitFor(err, t -> t.contains("keeping the running one"), 30);
            assertTrue(e.contains("the new model was not loaded, keeping the running one: m.bin is corrupt"), e);
            append(log, 3001, 4000);
            waitFor(out, t -> t.lines().count() >= 4000, 60);
        } finally {
            detect.destroy();
            if (!detect.waitFor(30, TimeUnit.SECONDS)) detect.destroyForcibly();
        }
        List<String> verdicts = Files.readAllLines(out);
        Set<Integer> seen = new HashSet<>();
        Map<String, Integer> thresholds = new TreeMap<>();
        for (String v : verdicts) {
            Matcher m = N.matcher(v);
            assertTrue(m.find(), v);
            assertTrue(seen.add(Integer.parseInt(m.group(1))), "judged twice: " + m.group(1));
            Matcher t = THRESHOLD.matcher(v);
            if (t.find()) thresholds.merge(t.group(1), 1, Integer::sum);
        }
        assertEquals(4000, seen.size(), "every line judged exactly once across both swaps");
        assertEquals(2, thresholds.size(), "two models judged: " + thresholds);
        assertTrue(Files.readString(err).contains("detect: 4000 lines"), Files.readString(err));
    }
}
