package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Week 4: training from rotated and gzipped logs, time windows, excluding anomalies, keeping the previous model. */
class RetrainingTest {
    @TempDir static Path dir;
    static List<String> lines;

    @BeforeAll
    static void rotatedLogs() throws Exception {
        lines = Files.readAllLines(TestSupport.repoRoot().resolve("logs/train_logs.txt")).subList(0, 3000);
        // logrotate leaves access.log.2.gz (oldest), access.log.1, access.log (newest)
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("access.log.2.gz")))) {
            out.write((String.join("\n", lines.subList(0, 1000)) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.write(dir.resolve("access.log.1"), lines.subList(1000, 2000));
        Files.write(dir.resolve("access.log"), lines.subList(2000, 3000));
        Instant t = Instant.parse("2025-11-27T12:00:00Z");
        Files.setLastModifiedTime(dir.resolve("access.log.2.gz"), FileTime.from(t));
        Files.setLastModifiedTime(dir.resolve("access.log.1"), FileTime.from(t.plusSeconds(3600)));
        Files.setLastModifiedTime(dir.resolve("access.log"), FileTime.from(t.plusSeconds(7200)));
    }

    @Test
    void globsExpandOldestFirstAndGzipIsRead() {
        List<Path> files = TrainingInput.expand(List.of(dir.resolve("access.log*").toString()), Path.of(""));
        assertEquals(List.of("access.log.2.gz", "access.log.1", "access.log"), files.stream().map(p -> p.getFileName().toString()).toList());
        TrainingInput.Data d = new TrainingInput(LogFormat.AUTO, null, null).read(files, null, true);
        assertEquals(3000, d.lines());
        assertEquals(3000, d.records().size());
        assertEquals(lines.get(0), d.records().get(0).raw(), "the gzipped, oldest file comes first");
        assertEquals(lines.get(2999), d.records().get(2999).raw());
    }

    @Test
    void chunksParsedInParallelComeBackInOrderWithEveryCount() throws Exception {
        // 20,000 lines (ten parsing chunks) with an unparsable line every 997: order and counts as one thread reads them
        List<String> all = Files.readAllLines(TestSupport.repoRoot().resolve("logs/train_logs.txt"));
        List<String> mixed = new java.util.ArrayList<>();
        for (int i = 0; i < all.size(); i++) mixed.add(i % 997 == 0 ? "garbage line " + i : all.get(i));
        Path f = dir.resolve("mixed.log");
        Files.write(f, mixed);
        TrainingInput.Data d = new TrainingInput(LogFormat.AUTO, null, null).read(List.of(f), null, true);
        AccessLogParser one = new AccessLogParser(LogFormat.AUTO);
        List<String> expected = mixed.stream().filter(l -> one.parse(l) instanceof ParseResult.Parsed).toList();
        assertEquals(mixed.size(), d.lines());
        assertEquals(expected, d.records().stream().map(AccessRecord::raw).toList());
        assertEquals(mixed.size() - expected.size(), d.malformed().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void globMatchingNothingIsAClearError() {
        SentinelException e = assertThrows(SentinelException.class,
                () -> TrainingInput.expand(List.of(dir.resolve("nginx.log*").toString()), Path.of("")));
        assertEquals(ExitCodes.BAD_INPUT, e.status());
        assertTrue(e.getMessage().contains("no training file matches"));
    }

    @Test
    void timeWindowKeepsOnlyLinesInside() {
        List<Path> files = TrainingInput.expand(List.of(dir.resolve("access.log*").toString()), Path.of(""));
        AccessRecord first = ((ParseResult.Parsed) new AccessLogParser(LogFormat.AUTO).parse(lines.get(1500))).record();
        Instant since = Instant.ofEpochSecond(first.epochSecond());
        TrainingInput.Data d = new TrainingInput(LogFormat.AUTO, since, since.plusSeconds(30)).read(files, null, true);
        assertTrue(d.records().size() > 100 && d.records().size() < 1500, "" + d.records().size());
        assertEquals(3000, d.records().size() + d.outsideWindow());
        for (AccessRecord r : d.records()) {
            assertTrue(r.epochSecond() >= since.getEpochSecond() && r.epochSecond() < since.getEpochSecond() + 30);
        }
    }

    @Test
    void retrainingKeepsThePreviousModelAndReportsTheDifference() throws Exception {
        String glob = dir.resolve("access.log*").toString();
        TestSupport.Run first = TestSupport.jbang(dir, null, null, 180, TestSupport.repoRoot().resolve("train.java").toString(),
                glob, "--model-file", "m.bin");
        assertEquals(0, first.exitCode(), first.stderr());
        assertEquals("Week 1: Model trained and saved successfully!\n", first.stdout());
        assertTrue(first.stderr().contains("Read 3,000 lines"), first.stderr());
        byte[] firstModel = Files.readAllBytes(dir.resolve("m.bin"));

        TestSupport.Run second = TestSupport.jbang(dir, null, null, 180, TestSupport.repoRoot().resolve("train.java").toString(),
                glob, "--model-file", "m.bin", "--exclude-anomalies", "--since", "2025-11-27T00:00:30");
        assertEquals(0, second.exitCode(), second.stderr());
        assertEquals("Week 4: Model retrained and saved successfully!\n", second.stdout());
        assertArrayEquals(firstModel, Files.readAllBytes(dir.resolve("m.prev")), "the previous model is kept as .prev");
        assertTrue(second.stderr().contains("flagged by the previous model and left out"), second.stderr());
        assertTrue(second.stderr().contains("outside --since/--until"), second.stderr());
        assertTrue(second.stderr().contains("Compared with the previous model (kept as m.prev): threshold "), second.stderr());
        assertNotNull(ModelBundle.load(dir.resolve("m.bin")));
    }

    @Test
    void excludeAnomaliesWithoutAModelIsBadInput() throws Exception {
        TestSupport.Run r = TestSupport.jbang(dir, null, null, 180, TestSupport.repoRoot().resolve("train.java").toString(),
                dir.resolve("access.log").toString(), "--model-file", "none.bin", "--exclude-anomalies");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("--exclude-anomalies needs a current model"), r.stderr());
    }
}
