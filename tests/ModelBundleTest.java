// ModelBundleTest.java -- format 2 round-trips a real model bit for bit, and every damaged or foreign file is one clear line.
package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    private static final byte[] HEADER = "SENTINEL-MODEL 2\n".getBytes(StandardCharsets.US_ASCII);
    @TempDir static Path shared;
    @TempDir Path dir;

    /** Trained by the real pipeline on simulated traffic: behaviour features, so it has a TrafficProfile. */
    static ModelBundle trained;
    /** Lines to judge: the simulator's mix with anomalies, so verdicts and explanations vary. */
    static List<String> probe;

    @BeforeAll
    static void trainOnSimulatedTraffic() throws IOException {
        Path log = shared.resolve("train.log");
        try (var w = Files.newBufferedWriter(log)) {
            TrafficSimulator.writeBatch(5, 0.0, LogFormat.COMBINED, Instant.parse("2025-11-27T00:00:00Z"), 20.0, 4000, w);
        }
        trained = new Training(new ModelSettings(0.01, Double.NaN, 60, 256, 11, LogFormat.AUTO)).run(log, null, true).bundle();
        StringBuilder mix = new StringBuilder();
        TrafficSimulator.writeBatch(6, 0.2, LogFormat.COMBINED, Instant.parse("2025-11-28T00:00:00Z"), 20.0, 1500, mix);
        probe = List.of(mix.toString().split("\n"));
    }

    private Path saved() {
        Path f = dir.resolve("m.bin");
        trained.save(f);
        return f;
    }

    @Test
    void roundTripScoresAndExplainsBitForBit() throws Exception {
        ModelBundle back = ModelBundle.load(saved());
        assertTrue(trained.schema().behaviourFeatures());
        assertNotNull(back.profile());
        assertNull(back.forest().smile(), "a loaded forest carries no Smile objects");
        ForestTrainerTest.assertLayoutsEqual(trained.forest().layout(), back.forest().layout());
        Detector before = new Detector(trained, LogFormat.AUTO);
        Detector after = new Detector(back, LogFormat.AUTO);
        int anomalies = 0;
        for (int i = 0; i < probe.size(); i++) {
            Verdict a = before.judge(probe.get(i), i + 1, null);
            Verdict b = after.judge(probe.get(i), i + 1, null);
            assertEquals(a.score(), b.score(), 0.0, "line " + (i + 1));
            assertEquals(a.anomaly(), b.anomaly());
            assertEquals(a.reasons(), b.reasons(), "explanation of line " + (i + 1));
            if (a.parsed()) assertEquals(before.explain(a.features()), after.explain(b.features()));
            if (a.anomaly()) anomalies++;
        }
        assertTrue(anomalies > 50, anomalies + " anomalies: explanations were compared");
        // rows off the training manifold too: each feature drawn across (and beyond) its training range
        SplittableRandom rnd = new SplittableRandom(3);
        ModelBundle.FeatureStats st = trained.featureStats();
        for (int i = 0; i < 1000; i++) {
            double[] x = new double[st.min().length];
            for (int j = 0; j < x.length; j++) x[j] = st.min()[j] + (st.max()[j] - st.min()[j] + 1) * (rnd.nextDouble() * 1.4 - 0.2);
            assertEquals(before.scorer().score(x), after.scorer().score(x), 0.0);
            assertArrayEquals(before.scorer().pathDepthContributions(x), after.scorer().pathDepthContributions(x), 0.0);
        }
    }

    @Test
    void roundTripKeepsEverySection() throws Exception {
        Path f = saved();
        ModelBundle back = ModelBundle.load(f);
        assertEquals(trained.schema(), back.schema());
        assertEquals(trained.provenance(), back.provenance());
        Threshold t = trained.threshold();
        assertEquals(t.cut(), back.threshold().cut());
        assertEquals(t.rule(), back.threshold().rule());
        assertArrayEquals(t.quantiles(), back.threshold().quantiles());
        assertEquals(t.trainingAlertRate(), back.threshold().trainingAlertRate());
        ModelBundle.FeatureStats s = trained.featureStats(), bs = back.featureStats();
        for (int q = 0; q < 5; q++) {
            double[][] a = {s.low(), s.mid(), s.high(), s.min(), s.max()}, b = {bs.low(), bs.mid(), bs.high(), bs.min(), bs.max()};
            assertArrayEquals(a[q], b[q]);
        }
        assertEquals(trained.profile().lines(), back.profile().lines());
        TrafficProfile.Counts[] counts = trained.profile().tables(), backCounts = back.profile().tables();
        for (int i = 0; i < counts.length; i++) {
            int[] expected = counts[i].toArray();
            assertArrayEquals(expected, backCounts[i].toArray(), "count table " + i);
            for (int j = 0; j < expected.length; j += 7) assertEquals(expected[j], backCounts[i].get(j));
        }
        TrainedForest a = trained.forest(), b = back.forest();
        assertEquals(a.features(), b.features());
        assertEquals(a.sampleSize(), b.sampleSize());
        assertEquals(a.seed(), b.seed());
        assertArrayEquals(a.columns(), b.columns());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file is left beside the model");
        }
        assertTrue(Files.size(f) < 400_000, Files.size(f) + " bytes");
    }

    @Test
    void countTablesLoadSparseOrDenseWithTheSameCounts() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int n : new int[] {0, 1, 100, 8192, 8193, 40_000}) { // 8192 = an eighth of 65,536: the last sparse size
            int[] expected = new int[65_536];
            int[] indices = rnd.ints(0, expected.length).distinct().limit(n).toArray();
            int[] values = new int[n];
            for (int i = 0; i < n; i++) expected[indices[i]] = values[i] = 1 + rnd.nextInt(1000);
            TrafficProfile.Counts c = TrafficProfile.Counts.of(expected.length, indices, values, n);
            for (int j = 0; j < expected.length; j++) assertEquals(expected[j], c.get(j), "cell " + j + " of " + n);
            assertArrayEquals(expected, c.toArray());
            if (n <= 8192) assertThrows(IllegalStateException.class, () -> c.raise(0, 1), "a loaded (sparse) table is read-only");
        }
    }

    @Test
    void missingFileSaysHowToTrain() {
        SentinelException e = assertThrows(SentinelException.class, () -> ModelBundle.load(dir.resolve("none.bin")));
        assertEquals(ExitCodes.BAD_INPUT, e.status());
        assertTrue(e.getMessage().contains("does not exist: train one with ./jbang train.java"), e.getMessage());
    }

    @Test
    void foreignFileIsRecognised() throws Exception {
        Path f = dir.resolve("m.bin");
        Files.writeString(f, "this is a pickle from the python course\n");
        assertTrue(badInput(f).contains("not a Sentinel model file"));
    }

    @Test
    void truncatedFilesGiveOneLineAtEveryCut() throws Exception {
        Path f = saved();
        byte[] all = Files.readAllBytes(f);
        List<Integer> cuts = new ArrayList<>();
        for (int cut = 0; cut < all.length; cut += Math.max(1, all.length / 300)) cuts.add(cut);
        for (int back = 1; back <= 24; back++) cuts.add(all.length - back); // inside the gzip trailer and the last block
        for (int cut : cuts) {
            Files.write(f, Arrays.copyOf(all, cut));
            String m = badInput(f);
            if (cut > HEADER.length + 10) assertTrue(m.contains("is truncated") || m.contains("is corrupt"), "cut at " + cut + ": " + m);
        }
    }

    @Test
    void flippedBitsAreCaughtByGzip() throws Exception {
        Path f = saved();
        byte[] all = Files.readAllBytes(f);
        SplittableRandom rnd = new SplittableRandom(17);
        // past the 10-byte gzip header, whose time stamp and OS bytes gzip itself ignores
        for (int i = 0; i < 300; i++) {
            byte[] flipped = all.clone();
            int at = HEADER.length + 10 + rnd.nextInt(all.length - HEADER.length - 10);
            flipped[at] ^= (byte) (1 << rnd.nextInt(8));
            Files.write(f, flipped);
            badInput(f);
        }
        for (int at = 0; at < HEADER.length; at++) {
            byte[] flipped = all.clone();
            flipped[at] ^= 0x04;
            Files.write(f, flipped);
            badInput(f);
        }
    }

    /**
     * A body gzip accepts but that is damaged inside: flipped bits, random bytes, huge varints written over lengths,
     * cuts, insertions and deletions, concentrated where the counts live. Each must load (a changed double is still
     * a model) or be one line with exit status 2: never another exception, a hang, or an allocation past the bounds.
     */
    @Test
    void damagedBodiesNeverEscapeAsAnythingButBadInput() throws Exception {
        Path f = dir.resolve("m.bin");
        byte[] body = body(trained);
        int profileStart = body(new ModelBundle(trained.forest(), trained.schema(), null, trained.threshold(),
                trained.featureStats(), trained.provenance())).length - 1;
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SplittableRandom rnd = new SplittableRandom(2025);
        int[] outcomes = new int[2];
        String sample = probe.get(0);
        assertTimeoutPreemptively(Duration.ofMinutes(3), () -> {
            for (int i = 0; i < 2000; i++) {
                byte[] mutant = mutate(body, profileStart, rnd);
                Files.write(f, gzipped(mutant));
                long allocated = threads.getCurrentThreadAllocatedBytes();
                try {
                    ModelBundle b = ModelBundle.load(f);
                    outcomes[0]++;
                    try {
                        new Detector(b, LogFormat.AUTO).judge(sample, 1, null);
                    } catch (SentinelException e) {
                        assertEquals(ExitCodes.BAD_INPUT, e.status(), e.getMessage());
                    }
                } catch (SentinelException e) {
                    outcomes[1]++;
                    assertEquals(ExitCodes.BAD_INPUT, e.status(), e.getMessage());
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                    assertTrue(e.getMessage().startsWith(f + " "), e.getMessage());
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
                // the count-min tables (10 MiB) plus a few copies of this small model, whatever the lengths say
                assertTrue(allocated < 48L << 20, "mutant " + i + " allocated " + allocated + " bytes");
            }
        });
        assertTrue(outcomes[1] > 1000, "rejected " + outcomes[1] + ", loaded " + outcomes[0]);
    }

    private static byte[] mutate(byte[] body, int profileStart, SplittableRandom rnd) {
        int at = switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(Math.min(body.length, 1200)); // schema, forest sizes, column maps, node counts
            case 1 -> Math.max(0, profileStart - 2500) + rnd.nextInt(2600); // threshold, stats, provenance, profile head
            default -> rnd.nextInt(body.length);
        };
        at = Math.min(at, body.length - 1);
        byte[] m = body.clone();
        switch (rnd.nextInt(7)) {
            case 0 -> m[at] ^= (byte) (1 << rnd.nextInt(8));
            case 1 -> m[at] = (byte) rnd.nextInt(256);
            case 2 -> { // a huge varint over whatever was there: 2^35 - 1, or a 64-bit one
                byte[] huge = rnd.nextBoolean() ? new byte[] {-1, -1, -1, -1, 127}
                        : new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, 1};
                System.arraycopy(huge, 0, m, at, Math.min(huge.length, m.length - at));
            }
            case 3 -> m = Arrays.copyOf(body, at);
            case 4 -> { // bytes inserted
                byte[] extra = new byte[1 + rnd.nextInt(16)];
                for (int i = 0; i < extra.length; i++) extra[i] = (byte) rnd.nextInt(256);
                m = splice(body, at, 0, extra);
            }
            case 5 -> m = splice(body, at, Math.min(1 + rnd.nextInt(16), body.length - at), new byte[0]);
            default -> { // a length-sized value one step off, or zero
                m[at] = (byte) (rnd.nextBoolean() ? m[at] + 1 : 0);
            }
        }
        return m;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    /** The body of {@code b} as ModelFormat writes it, before gzip. */
    private static byte[] body(ModelBundle b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFormat.write(b, out);
        return out.toByteArray();
    }

    private static byte[] gzipped(byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(HEADER);
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(body);
        }
        return bytes.toByteArray();
    }

    @Test
    void savedBodyIsWhatTheFormatWrites() throws Exception {
        byte[] file = Files.readAllBytes(saved());
        assertArrayEquals(HEADER, Arrays.copyOf(file, HEADER.length));
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(file, HEADER.length, file.length))) {
            assertArrayEquals(body(trained), gz.readAllBytes());
        }
    }

    @Test
    void trailingDataAndInconsistentSectionsAreRefused() throws Exception {
        Path f = dir.resolve("m.bin");
        byte[] body = body(trained);
        Files.write(f, gzipped(Arrays.copyOf(body, body.length + 1)));
        assertTrue(badInput(f).contains("has trailing data"));
        ModelBundle noProfile = new ModelBundle(trained.forest(), trained.schema(), null, trained.threshold(),
                trained.featureStats(), trained.provenance());
        Files.write(f, gzipped(body(noProfile)));
        assertTrue(badInput(f).contains("is inconsistent (its parts disagree)"));
        FeatureSchema narrow = Featurizer.schemaFor(2, true, true);
        Files.write(f, gzipped(body(new ModelBundle(trained.forest(), narrow, trained.profile(), trained.threshold(),
                trained.featureStats(), trained.provenance()))));
        assertTrue(badInput(f).contains("is inconsistent"));
    }

    @Test
    void lengthsAreBoundedByTheBytesLeftBeforeAllocating() throws Exception {
        Path f = dir.resolve("m.bin");
        // schema: version 2, 0 buckets, no flags, then 2^31 - 1 feature names in a 20-byte body
        byte[] names = {4, 0, 0, -1, -1, -1, -1, 7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        Files.write(f, gzipped(names));
        assertEquals("m.bin is corrupt (the feature names: 2147483647, outside 0..100000): retrain with ./jbang train.java",
                badInput(f));
        byte[] body = body(trained);
        Files.write(f, gzipped(Arrays.copyOf(body, 40)));
        assertTrue(badInput(f).matches("m\\.bin is corrupt \\(the feature names: \\d+, more than the 36 bytes left can hold\\).*"),
                badInput(f));
        int profileStart = body(new ModelBundle(trained.forest(), trained.schema(), null, trained.threshold(),
                trained.featureStats(), trained.provenance())).length - 1;
        Files.write(f, gzipped(Arrays.copyOf(body, profileStart - 3)));
        assertTrue(badInput(f).contains("is corrupt (it ends inside the provenance)"), badInput(f));
    }

    @Test
    void newerFormatVersionIsRefusedBeforeReading() throws Exception {
        Path f = dir.resolve("m.bin");
        Files.writeString(f, "SENTINEL-MODEL 99\nwhatever");
        assertEquals("m.bin has model format 99; this Sentinel reads format 2: retrain with ./jbang train.java", badInput(f));
    }

    /** A class a gadget chain could use: a format 1 file (Java serialization) must be refused without reading it. */
    static final class Intruder implements Serializable {
        static volatile boolean constructed;

        private void readObject(java.io.ObjectInputStream in) throws Exception {
            constructed = true;
            in.defaultReadObject();
        }
    }

    @Test
    void formatOneFilesAreRefusedWithoutDeserializingAnything() throws Exception {
        Path f = dir.resolve("m.bin");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("SENTINEL-MODEL 1\n".getBytes(StandardCharsets.US_ASCII));
        try (ObjectOutputStream out = new ObjectOutputStream(new GZIPOutputStream(bytes))) {
            out.writeObject(new Intruder());
        }
        Files.write(f, bytes.toByteArray());
        assertEquals("m.bin has model format 1; this Sentinel reads format 2: retrain with ./jbang train.java", badInput(f));
        assertFalse(Intruder.constructed);
    }

    @Test
    void aModelBeyondTheFormatsLimitsIsNotSaved() {
        ModelBundle.Provenance p = trained.provenance();
        String huge = "x".repeat(ModelFormat.MAX_TEXT_BYTES + 1);
        ModelBundle b = new ModelBundle(trained.forest(), trained.schema(), trained.profile(), trained.threshold(), trained.featureStats(),
                new ModelBundle.Provenance(huge, p.trainingSha256(), p.linesRead(), p.linesParsed(), p.linesMalformed(), p.rows(),
                        p.trees(), p.sampleSize(), p.seed(), p.contamination(), p.logFormat(), p.createdAt(), p.sentinelVersion(),
                        p.smileVersion(), p.javaVersion(), p.trainingMillis()));
        Path f = dir.resolve("m.bin");
        SentinelException e = assertThrows(SentinelException.class, () -> b.save(f));
        assertTrue(e.getMessage().startsWith("cannot save the model: "), e.getMessage());
        assertFalse(Files.exists(f));
    }

    /** Loads {@code f} expecting a one-line bad-input error; returns the message with the directory left out. */
    private static String badInput(Path f) {
        SentinelException e = assertThrows(SentinelException.class, () -> ModelBundle.load(f));
        assertEquals(ExitCodes.BAD_INPUT, e.status(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage().replace(f.getParent() + "/", "");
    }
}
