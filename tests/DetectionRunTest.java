// DetectionRunTest.java -- the batched --once path prints the same bytes and raises the same alerts as line by line.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionRunTest {
    @TempDir static Path dir;
    static ModelBundle bundle;
    static byte[] log;

    /** What one run printed and alerted. */
    record Outcome(byte[] stdout, List<String> alerts, long lines, long anomalies, long unparsed) {}

    @BeforeAll
    static void trainAndWriteAMixedLog() throws IOException {
        Path train = dir.resolve("train.log");
        StringBuilder normal = new StringBuilder();
        TrafficSimulator.writeBatch(5, 0.0, LogFormat.COMBINED, Instant.parse("2025-11-27T00:00:00Z"), 20, 6000, normal);
        Files.writeString(train, normal);
        bundle = new Training(new ModelSettings(0.01, Double.NaN, 100, 256, 5, LogFormat.AUTO)).run(train, null, true).bundle();
        StringBuilder mix = new StringBuilder();
        TrafficSimulator.writeBatch(6, 0.1, LogFormat.COMBINED, Instant.parse("2025-11-27T06:00:00Z"), 50, 9000, mix);
        // Lines every stage must carry through unchanged: unparsable, binary, tabs, non-ASCII, bidi controls.
        String[] odd = {"", "not an access log line", "10.0.0.1 - - [27/Nov/2025:06:00:01 +0000] \"GET /\u0007 HTTP/1.1\" 200 5 \"-\" \"x\"",
            "10.0.0.2 - - [27/Nov/2025:06:00:01 +0000] \"GET /caf\u00e9\ttab HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0\"",
            "10.0.0.3 - - [27/Nov/2025:06:00:01 +0000] \"GET /\u202egnp.exe HTTP/1.1\" 404 5 \"-\" \"curl/8.0\"",
            "10.0.0.4 - - [27/Nov/2025:06:00:02 +0000] \"GET /x HTTP/1.1\" 999999 5"};
        String[] lines = mix.toString().split("\n");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            all.append(lines[i]).append('\n');
            if (i % 997 == 0) all.append(odd[(i / 997) % odd.length]).append('\n');
        }
        log = all.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Outcome detect(boolean batched, boolean json, boolean color, boolean quietOk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VerdictPrinter printer = new VerdictPrinter(out, json, color, quietOk, false);
        List<String> alerts = new ArrayList<>();
        DetectionRun run = new DetectionRun(new Detector(bundle, LogFormat.AUTO), printer,
                v -> alerts.add(v.lineNo() + " " + v.score() + " " + v.reasons() + " " + v.position())).batched(batched);
        run.runUntilStopped(new StdinSource(new ByteArrayInputStream(log), 65536), () -> { });
        return new Outcome(out.toByteArray(), alerts, run.lines(), run.anomalies(), run.unparsed());
    }

    static void assertSame(Outcome line, Outcome batch) {
        assertArrayEquals(line.stdout(), batch.stdout(), "byte-identical output");
        assertEquals(line.alerts(), batch.alerts(), "same alerts, in the same order, with exact scores");
        assertEquals(List.of(line.lines(), line.anomalies(), line.unparsed()), List.of(batch.lines(), batch.anomalies(), batch.unparsed()));
    }

    @Test
    void batchedTextOutputIsByteIdenticalToLineByLine() throws Exception {
        Outcome line = detect(false, false, false, false);
        Outcome batch = detect(true, false, false, false);
        assertSame(line, batch);
        assertTrue(line.lines() > 4 * BatchPipeline.BLOCK, "several blocks: " + line.lines());
        assertTrue(line.anomalies() > 100 && line.unparsed() > 0, line.anomalies() + " anomalies, " + line.unparsed() + " unparsed");
    }

    @Test
    void batchedJsonOutputIsByteIdenticalToLineByLine() throws Exception {
        assertSame(detect(false, true, false, false), detect(true, true, false, false));
    }

    @Test
    void batchedLiveVerdictsComeOutWhileTheSourceWaitsForMoreLines() throws Exception {
        String first = new String(log, StandardCharsets.UTF_8).lines().limit(3).map(l -> l + "\n").reduce("", String::concat);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DetectionRun run = new DetectionRun(new Detector(bundle, LogFormat.AUTO), new VerdictPrinter(out, false, false, false, true),
                v -> { }).batched(true);
        PipedOutputStream writer = new PipedOutputStream();
        PipedInputStream reader = new PipedInputStream(writer, 1 << 16);
        Thread detect = new Thread(() -> {
            try {
                run.runUntilStopped(new StdinSource(reader, 65536), () -> { });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        detect.start();
        writer.write(first.getBytes(StandardCharsets.UTF_8));
        writer.flush();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (out.toString(StandardCharsets.UTF_8).lines().count() < 3 && System.nanoTime() < deadline) Thread.sleep(1);
        String early = out.toString(StandardCharsets.UTF_8);
        writer.close();
        detect.join(10_000);
        String lineByLine = new String(detect(false, false, false, false).stdout(), StandardCharsets.UTF_8);
        assertEquals(lineByLine.lines().limit(3).map(l -> l + "\n").reduce("", String::concat), early,
                "the three verdicts, printed before the input ended");
    }

    @Test
    void batchedColourAndQuietOkOutputIsByteIdenticalToLineByLine() throws Exception {
        Outcome line = detect(false, false, true, true);
        assertSame(line, detect(true, false, true, true));
        assertTrue(new String(line.stdout(), StandardCharsets.UTF_8).contains("\u001b[1;31m"), "coloured");
    }
}
