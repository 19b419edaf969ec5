// BackgroundRetrainerTest.java -- the ring of normal lines, background retraining rounds and their settings.
package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackgroundRetrainerTest {
    @TempDir static Path shared;
    @TempDir Path dir;
    static final ModelSettings SETTINGS = new ModelSettings(0.01, Double.NaN, 50, 256, 5, LogFormat.AUTO);
    static ModelBundle bundle;
    static List<String> normal;
    static String mixed;

    @BeforeAll
    static void trainAndWriteLogs() throws Exception {
        StringBuilder sb = new StringBuilder();
        TrafficSimulator.writeBatch(5, 0.0, LogFormat.COMBINED, Instant.parse("2025-11-27T00:00:00Z"), 20, 6000, sb);
        Path train = shared.resolve("train.log");
        Files.writeString(train, sb);
        normal = List.of(sb.toString().split("\n"));
        bundle = new Training(SETTINGS).run(train, null, true).bundle();
        StringBuilder mix = new StringBuilder();
        TrafficSimulator.writeBatch(6, 0.1, LogFormat.COMBINED, Instant.parse("2025-11-27T06:00:00Z"), 50, 6000, mix);
        mix.append("not an access log line\n");
        mixed = mix.toString();
    }

    @Test
    void ringIsBoundedAndOldestFirst() {
        RecentTraffic ring = new RecentTraffic(3);
        assertEquals(List.of(), ring.snapshot());
        for (String s : List.of("a", "b")) ring.add(s);
        assertEquals(List.of("a", "b"), ring.snapshot());
        for (String s : List.of("c", "d", "e")) ring.add(s);
        assertEquals(List.of("c", "d", "e"), ring.snapshot());
        assertEquals(3, ring.size());
        assertEquals(5, ring.added());
    }

    @Test
    void onlyLinesJudgedNormalFeedTheRingInLogOrderBatchedOrNot() throws Exception {
        Detector reference = new Detector(bundle, LogFormat.AUTO);
        List<String> expected = new ArrayList<>();
        Set<String> flagged = new HashSet<>();
        long n = 0;
        for (String line : mixed.split("\n")) {
            Verdict v = reference.judge(line, ++n, null);
            if (v.anomaly()) flagged.add(line);
            else if (v.parsed()) expected.add(line);
        }
        assertTrue(flagged.size() > 100, "the mix holds anomalies: " + flagged.size());
        for (boolean batched : new boolean[] {false, true}) {
            RecentTraffic ring = new RecentTraffic(100_000);
            List<String> alerted = Collections.synchronizedList(new ArrayList<>());
            DetectionRun run = new DetectionRun(new Detector(bundle, LogFormat.AUTO), new VerdictPrinter(new ByteArrayOutputStream(),
                    true, false, false, false), v -> alerted.add(v.line())).batched(batched).feeding(ring);
            run.runUntilStopped(new StdinSource(new ByteArrayInputStream(mixed.getBytes(StandardCharsets.UTF_8)), 65536), () -> { });
            assertEquals(expected, ring.snapshot(), "batched " + batched);
            assertEquals(flagged, new HashSet<>(alerted), "batched " + batched);
            // every line is in exactly one of: the ring, the alerts, the unparsed (identical texts may differ in verdict)
            assertEquals(run.lines() - run.anomalies() - run.unparsed(), ring.size(), "batched " + batched);
            assertEquals(alerted.size(), run.anomalies());
            assertEquals(1, run.unparsed());
        }
    }

    private BackgroundRetrainer retrainer(Path modelFile, RecentTraffic ring, List<String> notices) {
        Detector running = new Detector(bundle, LogFormat.AUTO);
        return new BackgroundRetrainer(new RetrainSettings(Duration.ofSeconds(1), ring.capacity()), SETTINGS, modelFile, "live.log",
                ring, () -> running, notices::add);
    }

    @Test
    void aRoundSavesTheNewModelKeepsThePreviousAndSkipsWhenItCannot() throws Exception {
        Path model = dir.resolve("m.bin");
        bundle.save(model);
        byte[] original = Files.readAllBytes(model);
        RecentTraffic ring = new RecentTraffic(5000);
        BackgroundRetrainer r = retrainer(model, ring, new ArrayList<>());
        for (int i = 0; i < 200; i++) ring.add(normal.get(i));
        assertEquals("retrain skipped: 200 normal lines seen so far, at least 256 are needed", r.retrainOnce());
        assertFalse(Files.exists(dir.resolve("m.prev")));
        assertArrayEquals(original, Files.readAllBytes(model));

        for (int i = 200; i < 3000; i++) ring.add(normal.get(i));
        String notice = r.retrainOnce();
        assertTrue(notice.matches("retrained on the last 3,000 normal lines in [0-9.]+ s: threshold 0\\.\\d{4} -> 0\\.\\d{4} "
                + "\\(flags [0-9.]+% of them\\); previous model kept as m\\.prev"), notice);
        assertArrayEquals(original, Files.readAllBytes(dir.resolve("m.prev")));
        ModelBundle fresh = ModelBundle.load(model);
        assertEquals("recent normal lines of live.log", fresh.provenance().trainFiles());
        assertEquals(3000, fresh.provenance().linesParsed());
        assertEquals(SETTINGS.trees(), fresh.provenance().trees());
        assertFalse(Arrays.equals(original, Files.readAllBytes(model)));

        assertEquals("retrain skipped: no new normal lines since the last retrain", r.retrainOnce());
    }

    @Test
    void aFailedRoundReportsAndKeepsTheRunningModel() throws Exception {
        Files.writeString(dir.resolve("blocker"), "a file where the model's folder should be");
        RecentTraffic ring = new RecentTraffic(1000);
        for (int i = 0; i < 1000; i++) ring.add(normal.get(i));
        String notice = retrainer(dir.resolve("blocker/m.bin"), ring, new ArrayList<>()).retrainOnce();
        assertTrue(notice.startsWith("retrain failed, keeping the running model: cannot save the model to "), notice);
    }

    @Test
    void roundsRunOnTheirOwnThreadUntilClosed() throws Exception {
        Path model = dir.resolve("m.bin");
        bundle.save(model);
        RecentTraffic ring = new RecentTraffic(1000);
        for (int i = 0; i < 1000; i++) ring.add(normal.get(i));
        List<String> notices = Collections.synchronizedList(new ArrayList<>());
        try (BackgroundRetrainer r = retrainer(model, ring, notices).start()) {
            for (int i = 0; i < 300 && notices.size() < 2; i++) Thread.sleep(100);
        }
        assertTrue(notices.size() >= 2, notices.toString());
        assertTrue(notices.get(0).startsWith("retrained on the last 1,000 normal lines"), notices.toString());
        assertEquals("retrain skipped: no new normal lines since the last retrain", notices.get(1));
        assertTrue(Files.exists(dir.resolve("m.prev")));
    }

    private static Config config(Map<String, String> overrides) {
        return Config.load(null, false, Map.of(), overrides);
    }

    @Test
    void offByDefaultAndSettingsAreChecked() {
        assertNull(RetrainSettings.from(config(Map.of())));
        assertNull(new LiveDetection(config(Map.of()), new LiveDetection.Options(false, false, false, false, false, true, false, 20),
                s -> { }).retrain(), "no ring unless retrain_every is set");
        assertNull(new LiveDetection(config(Map.of("retrain_every", "1h")), new LiveDetection.Options(true, false, false, false, false,
                true, false, 20), s -> { }).retrain(), "--once does not retrain");
        assertNull(RetrainSettings.from(config(Map.of("retrain_every", "0"))));
        assertEquals(new RetrainSettings(Duration.ofHours(1), 50_000), RetrainSettings.from(config(Map.of("retrain_every", "1h"))));
        SentinelException e = assertThrows(SentinelException.class, () -> RetrainSettings.from(config(Map.of("retrain_every", "500ms"))));
        assertEquals("--retrain-every: retrain_every: expected at least 1s (empty: off), got '500ms'", e.getMessage());
        e = assertThrows(SentinelException.class, () -> RetrainSettings.from(config(Map.of("retrain_every", "5s", "retrain_lines", "100"))));
        assertTrue(e.getMessage().startsWith("--retrain-lines: retrain_lines: expected at least 256"), e.getMessage());
        e = assertThrows(SentinelException.class, () -> RetrainSettings.from(config(Map.of("retrain_every", "5s", "retrain_lines", "2000000000"))));
        assertTrue(e.getMessage().startsWith("--retrain-lines: retrain_lines: expected at most "), e.getMessage());
        e = assertThrows(SentinelException.class, () -> config(Map.of("retrain_every", "soon")));
        assertTrue(e.getMessage().startsWith("--retrain-every: retrain_every: expected a duration"), e.getMessage());
    }
}
