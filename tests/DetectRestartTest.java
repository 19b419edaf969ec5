package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** detect.java itself, with --state: SIGKILL loses nothing; a clean stop and restart repeats nothing. */
class DetectRestartTest {
    @TempDir static Path dir;
    private static final Pattern N = Pattern.compile("GET /home\\?n=(\\d+) ");

    @BeforeAll
    static void model() throws Exception {
        Path root = TestSupport.repoRoot();
        assertEquals(0, TestSupport.jbang(dir, null, null, 180, root.resolve("train.java").toString(),
                "--train-file", root.resolve("logs/train_logs.txt").toString(), "--model-file", "m.bin").exitCode());
    }

    private static void append(Path log, int from, int to) throws Exception {
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (int i = from; i <= to; i++) {
                w.write("10.0.0." + (1 + i % 50) + " - - [27/Nov/2025:10:00:00 +0000] \"GET /home?n=" + i + " HTTP/1.1\" 200 500 \"-\" \"Mozilla/5.0\"\n");
            }
        }
    }

    private static Process start(Path out) throws Exception {
        Path root = TestSupport.repoRoot();
        ProcessBuilder pb = new ProcessBuilder(root.resolve("jbang").toString(), "--quiet", root.resolve("detect.java").toString(),
                "--from-start", "--json", "--log-file", "access.log", "--model-file", "m.bin", "--state", "state.json")
                .directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("err.txt").toFile()));
        pb.environment().remove("SLACK_WEBHOOK_URL");
        return pb.start();
    }

    private static Map<Integer, Integer> seen(Path out) throws Exception {
        Map<Integer, Integer> counts = new HashMap<>();
        if (!Files.exists(out)) return counts;
        for (String line : Files.readAllLines(out)) {
            Matcher m = N.matcher(line);
            if (m.find()) counts.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
        }
        return counts;
    }

    private static void waitForCount(Path out, int n, long seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end && seen(out).size() < n) Thread.sleep(100);
    }

    /** Waits until {@code starts} runs have said where they start and the output has been still for a second. */
    private static void waitUntilCaughtUp(Path out, int starts, long seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long lastSize = -1, stillSince = System.nanoTime();
        while (System.nanoTime() < end) {
            Path err = dir.resolve("err.txt");
            long said = Files.exists(err) ? Files.readAllLines(err).stream().filter(l -> l.contains("resuming from checkpoint")
                    || l.contains("following ")).count() : 0;
            long size = Files.exists(out) ? Files.size(out) : 0;
            if (size != lastSize) {
                lastSize = size;
                stillSince = System.nanoTime();
            }
            if (said >= starts && System.nanoTime() - stillSince > 1_000_000_000L) return;
            Thread.sleep(100);
        }
    }

    @Test
    void killedDetectResumesFromItsCheckpointAndACleanStopRepeatsNothing() throws Exception {
        Path log = dir.resolve("access.log"), out = dir.resolve("out.jsonl");
        append(log, 1, 2000);
        int written = 2000;
        for (int round = 0; round < 3; round++) {
            Process p = start(out);
            waitForCount(out, written - 500, 60);
            append(log, written + 1, written + 1000);
            written += 1000;
            Thread.sleep(300);
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        Process p = start(out);
        waitForCount(out, written, 60);
        waitUntilCaughtUp(out, 4, 60);
        Map<Integer, Integer> afterKills = seen(out);
        for (int i = 1; i <= written; i++) assertTrue(afterKills.containsKey(i), "line " + i + " was lost");
        p.destroy(); // SIGTERM: a clean stop writes the final checkpoint
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        long before = Files.readAllLines(out).size();
        append(log, written + 1, written + 500);
        Process again = start(out);
        waitForCount(out, written + 500, 60);
        again.destroy();
        assertTrue(again.waitFor(30, TimeUnit.SECONDS));
        List<String> lines = Files.readAllLines(out);
        assertEquals(500, lines.size() - before, "after a clean stop the restart judges only the new lines");
        Map<Integer, Integer> all = seen(out);
        for (int i = written + 1; i <= written + 500; i++) assertEquals(1, all.get(i), "line " + i);
        String err = Files.readString(dir.resolve("err.txt"));
        assertTrue(err.contains("resum"), err);
    }
}
