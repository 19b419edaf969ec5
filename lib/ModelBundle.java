// ModelBundle.java -- the saved model: forest, feature schema, threshold and provenance; atomic save, checked load.
package sentinel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Everything needed to score consistently with how the model was trained, plus where it came from
 * (in the spirit of Tribuo's provenance). Stored as a text header line ({@code SENTINEL-MODEL 2}), then a gzip
 * stream of the body {@link ModelFormat} writes: plain values with explicit lengths, no Java serialization.
 */
public record ModelBundle(
        TrainedForest forest,
        FeatureSchema schema,
        TrafficProfile profile,
        Threshold threshold,
        FeatureStats featureStats,
        Provenance provenance) {

    /**
     * Per-feature training statistics: quantiles 0.5%, 50%, 99.5% (the "usual range" shown in explanations)
     * and the full range {@code min}–{@code max} (what the {@link RangeGuard} compares against).
     */
    public record FeatureStats(double[] low, double[] mid, double[] high, double[] min, double[] max) {}

    /** Where the model came from: data, counts, settings and versions. Paths are relative, never absolute. */
    public record Provenance(String trainFiles, String trainingSha256, long linesRead, long linesParsed, long linesMalformed,
                             int rows, int trees, int sampleSize, long seed, String contamination, String logFormat,
                             String createdAt, String sentinelVersion, String smileVersion, String javaVersion,
                             long trainingMillis) {}

    /** Format 1 was a Java serialization stream; it is refused unread. */
    public static final int FORMAT_VERSION = 2;
    public static final String SENTINEL_VERSION = "0.1.0";
    private static final String MAGIC = "SENTINEL-MODEL ";

    /** Writes the bundle to {@code file} atomically: a temp file beside it, then a rename. */
    public void save(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (OutputStream raw = Files.newOutputStream(tmp)) {
                raw.write((MAGIC + FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
                try (OutputStream out = new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16), 1 << 16)) {
                    ModelFormat.write(this, out);
                }
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw SentinelException.failure("cannot save the model to " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the rename already succeeded or the error above is the one worth reporting
                }
            }
        }
    }

    /**
     * Loads a bundle; a missing, foreign, corrupt, truncated or incompatible file is a SentinelException (exit 2).
     * The version is checked before anything else is read, so an old (Java-serialized) file is never decoded.
     */
    public static ModelBundle load(Path file) {
        String name = Printable.path(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            String header = readHeader(in);
            if (header == null || !header.startsWith(MAGIC)) {
                throw SentinelException.badInput(name + " is not a Sentinel model file: train one with ./jbang train.java");
            }
            String version = header.substring(MAGIC.length()).trim();
            if (!version.equals(String.valueOf(FORMAT_VERSION))) {
                throw SentinelException.badInput(name + " has model format " + Printable.escape(version) + "; this Sentinel reads format "
                        + FORMAT_VERSION + ": retrain with ./jbang train.java");
            }
            // inflating to the end checks gzip's CRC and length trailer, so a cut-off file never loads
            ModelInput body = ModelInput.inflate(in, ModelFormat.MAX_BODY_BYTES);
            ModelBundle b = ModelFormat.read(body);
            if (body.remaining() > 0) throw SentinelException.badInput(name + " has trailing data: retrain with ./jbang train.java");
            b.check(file);
            return b;
        } catch (NoSuchFileException e) {
            throw SentinelException.badInput("model file " + name + " does not exist: train one with ./jbang train.java");
        } catch (EOFException e) {
            throw SentinelException.badInput(name + " is truncated: retrain with ./jbang train.java");
        } catch (ModelInput.Corrupt e) {
            throw SentinelException.badInput(name + " is corrupt (" + e.getMessage() + "): retrain with ./jbang train.java");
        } catch (ZipException e) {
            throw SentinelException.badInput(name + " is corrupt (" + e.getClass().getSimpleName() + "): retrain with ./jbang train.java");
        } catch (IOException e) {
            throw SentinelException.badInput("cannot read model file " + name + ": " + e.getMessage());
        }
    }

    /** The sections must agree: one width for forest, schema and statistics, and a profile exactly when features need it. */
    private void check(Path file) {
        if (forest == null || schema == null || threshold == null || featureStats == null || provenance == null
                || forest.features() != schema.size() || featureStats.low().length != schema.size()
                || schema.behaviourFeatures() != (profile != null)) {
            throw SentinelException.badInput(Printable.path(file) + " is inconsistent (its parts disagree): retrain with ./jbang train.java");
        }
    }

    private static String readHeader(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            int c = in.read();
            if (c < 0) return null;
            if (c == '\n') return sb.toString();
            sb.append((char) c);
        }
        return null;
    }
}
