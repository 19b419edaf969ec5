package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** Week 4: detect --retrain-every retrains on the normal lines it judged and swaps the model in, losing and repeating no line. */
class DetectRetrainTest {
    @TempDir Path dir;

    private static final Pattern N = Pattern.compile("GET /[a-z]+\\?n=(\\d+) ");
    private static final Pattern THRESHOLD = Pattern.compile("\"threshold\":([0-9.]+)");
    private static final String[] PAGES = {"home", "products", "cart", "about", "search"};

    /** Line {@code n} of the live log; its marker has as many digits as the training lines' (query length is a feature). */
    private static String line(int n) {
        return row(1_000_000 + n);
    }

    private static String row(int n) {
        return "10.0.0." + (1 + n % 50) + " - - [27/Nov/2025:10:" + String.format("%02d:%02d", n / 60 % 60, n % 60) + " +0000] \"GET /"
                + PAGES[n % PAGES.length] + "?n=" + n + " HTTP/1.1\" 200 " + (500 + n % 700) + " \"-\" \"Mozilla/5.0\"";
    }

    private static void append(Path log, int from, int to) throws Exception {
        append(log, from, to, false);
    }

    private static void append(Path log, int from, int to, boolean train) throws Exception {
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (int i = from; i <= to; i++) w.write((train ? row(2_000_000 + i) : line(i)) + "\n");
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
    void retrainsInTheBackgroundAndSwapsWithoutLosingOrRepeatingLines() throws Exception {
        Path root = TestSupport.repoRoot();
        append(dir.resolve("train.log"), 1, 4000, true);
        assertEquals(0, TestSupport.jbang(dir, null, null, 180, root.resolve("train.java").toString(), "--train-file", "train.log",
                "--model-file", "m.bin").exitCode());
        byte[] first = Files.readAllBytes(dir.resolve("m.bin"));
        Path log = dir.resolve("live.log");
        Files.writeString(log, "");
        Path out = dir.resolve("out.jsonl"), err = dir.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("jbang").toString(), "--quiet", root.resolve("detect.java").toString(),
                "--from-start", "--json", "--log-file", "live.log", "--model-file", "m.bin", "--retrain-every", "2s", "--retrain-lines", "3000")
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("SLACK_WEBHOOK_URL");
        Process detect = pb.start();
        int written = 0;
        try {
            String e = "";
            // bounded: about 40 s of steady traffic at most, stopping once a retrained model has been swapped in
            for (int k = 0; k < 200 && !(e.contains("retrained on the last") && e.contains("model reloaded")); k++) {
                append(log, written + 1, written + 50);
                written += 50;
                Thread.sleep(200);
                e = Files.readString(err);
            }
            assertTrue(e.contains("detect: retraining every 2s on the last 3,000 normal lines (previous model kept as m.prev)"), e);
            assertTrue(e.contains("detect: retrained on the last "), e);
            assertTrue(e.contains("previous model kept as m.prev"), e);
            assertTrue(e.contains("detect: model reloaded from m.bin"), e);
            for (int k = 0; k < 10; k++) { // lines keep coming across and after the swap
                append(log, written + 1, written + 50);
                written += 50;
                Thread.sleep(100);
            }
            int total = written;
            waitFor(out, t -> t.lines().count() >= total, 60);
        } finally {
            detect.destroy();
            if (!detect.waitFor(30, TimeUnit.SECONDS)) detect.destroyForcibly();
        }
        Set<Integer> seen = new HashSet<>();
        Map<String, Integer> thresholds = new TreeMap<>();
        for (String v : Files.readAllLines(out)) {
            Matcher m = N.matcher(v);
            assertTrue(m.find(), v);
            int n = Integer.parseInt(m.group(1)) - 1_000_000;
            assertTrue(n >= 1 && n <= written, v);
            assertTrue(seen.add(n), "judged twice: " + n);
            Matcher t = THRESHOLD.matcher(v);
            if (t.find()) thresholds.merge(t.group(1), 1, Integer::sum);
        }
        assertEquals(written, seen.size(), "every line judged exactly once across the swaps");
        assertTrue(thresholds.size() >= 2, "the retrained model judged too: " + thresholds);
        String e = Files.readString(err);
        assertTrue(e.contains("detect: " + written + " lines"), e);
        Path prev = dir.resolve("m.prev");
        assertTrue(Files.exists(prev), "the previous model is kept");
        ModelBundle retrained = ModelBundle.load(dir.resolve("m.bin"));
        assertEquals("recent normal lines of live.log", retrained.provenance().trainFiles());
        assertFalse(java.util.Arrays.equals(first, Files.readAllBytes(dir.resolve("m.bin"))), "a new model was saved");
        ModelBundle.load(prev);
    }
}
