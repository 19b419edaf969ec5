package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    @TempDir Path dir;

    static ModelBundle smallBundle() {
        FeatureSchema schema = Featurizer.schemaFor(2, true, false);
        SplittableRandom rnd = new SplittableRandom(7);
        double[][] x = new double[500][schema.size()];
        for (double[] row : x) for (int j = 0; j < row.length; j++) row[j] = rnd.nextGaussian() * (j + 1);
        TrainedForest forest = new ForestTrainer(20, 64, 3).fit(x);
        double[] scores = new double[x.length];
        new ForestScorer(forest).score(x, scores);
        ModelSettings s = new ModelSettings(0.05, Double.NaN, 20, 64, 3, LogFormat.AUTO);
        ModelBundle.Provenance p = new ModelBundle.Provenance("synthetic", "00", 500, 500, 0, 500, 20, 64, 3, "0.05", "auto",
                "2025-11-27T00:00:00Z", ModelBundle.SENTINEL_VERSION, "3.1.1", "17", 1);
        return new ModelBundle(forest, schema, null, Threshold.calibrate(scores, s), Training.featureStats(x), p);
    }

    @Test
    void roundTripKeepsScoresAndProvenance() throws Exception {
        ModelBundle b = smallBundle();
        Path f = dir.resolve("m.bin");
        b.save(f);
        ModelBundle back = ModelBundle.load(f);
        double[] probe = new double[b.schema().size()];
        Arrays.fill(probe, 3.0);
        assertEquals(new ForestScorer(b.forest()).score(probe), new ForestScorer(back.forest()).score(probe), 0.0);
        assertEquals(b.threshold().cut(), back.threshold().cut());
        assertEquals(b.schema(), back.schema());
        assertEquals(b.provenance(), back.provenance());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp file is left beside the model");
        }
    }

    @Test
    void missingFileSaysHowToTrain() {
        SentinelException e = assertThrows(SentinelException.class, () -> ModelBundle.load(dir.resolve("none.bin")));
        assertEquals(ExitCodes.BAD_INPUT, e.status());
        assertTrue(e.getMessage().contains("train.java"), e.getMessage());
    }

    @Test
    void foreignFileIsRecognised() throws Exception {
        Path f = dir.resolve("m.bin");
        Files.writeString(f, "this is a pickle from the python course\n");
        assertTrue(assertThrows(SentinelException.class, () -> ModelBundle.load(f)).getMessage().contains("not a Sentinel model file"));
    }

    @Test
    void truncatedAndCorruptFilesGiveOneLine() throws Exception {
        Path f = dir.resolve("m.bin");
        smallBundle().save(f);
        byte[] all = Files.readAllBytes(f);
        for (int cut : new int[] {30, all.length / 2, all.length - 5}) {
            Files.write(f, Arrays.copyOf(all, cut));
            SentinelException e = assertThrows(SentinelException.class, () -> ModelBundle.load(f), "cut at " + cut);
            assertEquals(ExitCodes.BAD_INPUT, e.status());
            assertFalse(e.getMessage().contains("\n"));
        }
        byte[] flipped = all.clone();
        for (int i = 40; i < flipped.length; i += 97) flipped[i] ^= 0x5a;
        Files.write(f, flipped);
        assertEquals(ExitCodes.BAD_INPUT, assertThrows(SentinelException.class, () -> ModelBundle.load(f)).status());
    }

    @Test
    void newerFormatVersionIsRefusedBeforeDeserializing() throws Exception {
        Path f = dir.resolve("m.bin");
        Files.writeString(f, "SENTINEL-MODEL 99\nwhatever");
        assertTrue(assertThrows(SentinelException.class, () -> ModelBundle.load(f)).getMessage().contains("format 99"));
    }

    /** A class a gadget chain could use: the allow-list must refuse it before it is built. */
    static final class Intruder implements Serializable {
        static volatile boolean constructed;

        private void readObject(java.io.ObjectInputStream in) throws Exception {
            constructed = true;
            in.defaultReadObject();
        }
    }

    @Test
    void allowListRejectsForeignClassesBeforeTheyAreBuilt() throws Exception {
        Path f = dir.resolve("m.bin");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("SENTINEL-MODEL 1\n".getBytes(StandardCharsets.US_ASCII));
        try (ObjectOutputStream out = new ObjectOutputStream(new GZIPOutputStream(bytes))) {
            out.writeObject(new Intruder());
        }
        Files.write(f, bytes.toByteArray());
        SentinelException e = assertThrows(SentinelException.class, () -> ModelBundle.load(f));
        assertTrue(e.getMessage().contains("not allowed"), e.getMessage());
        assertFalse(Intruder.constructed);
    }

    @Test
    void allowListRejectsJdkCollectionsToo() throws Exception {
        Path f = dir.resolve("m.bin");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write("SENTINEL-MODEL 1\n".getBytes(StandardCharsets.US_ASCII));
        try (ObjectOutputStream out = new ObjectOutputStream(new GZIPOutputStream(bytes))) {
            out.writeObject(new java.util.HashMap<>(java.util.Map.of("a", 1)));
        }
        Files.write(f, bytes.toByteArray());
        assertTrue(assertThrows(SentinelException.class, () -> ModelBundle.load(f)).getMessage().contains("not allowed"));
    }
}
