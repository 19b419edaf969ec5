// ModelBundle.java -- the saved model: forest, feature schema, threshold and provenance; atomic save, allow-listed load.
package sentinel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Everything needed to score consistently with how the model was trained, plus where it came from
 * (in the spirit of Tribuo's provenance). Stored as a magic header line, then a gzipped Java
 * serialization stream that is only ever read through {@link #FILTER}.
 */
public record ModelBundle(
        TrainedForest forest,
        FeatureSchema schema,
        TrafficProfile profile,
        Threshold threshold,
        FeatureStats featureStats,
        Provenance provenance) implements Serializable {

    /**
     * Per-feature training statistics: quantiles 0.5%, 50%, 99.5% (the "usual range" shown in explanations)
     * and the full range {@code min}–{@code max} (what the {@link RangeGuard} compares against).
     */
    public record FeatureStats(double[] low, double[] mid, double[] high, double[] min, double[] max) implements Serializable {}

    /** Where the model came from: data, counts, settings and versions. Paths are relative, never absolute. */
    public record Provenance(String trainFiles, String trainingSha256, long linesRead, long linesParsed, long linesMalformed,
                             int rows, int trees, int sampleSize, long seed, String contamination, String logFormat,
                             String createdAt, String sentinelVersion, String smileVersion, String javaVersion,
                             long trainingMillis) implements Serializable {}

    public static final int FORMAT_VERSION = 1;
    public static final String SENTINEL_VERSION = "0.1.0";
    private static final String MAGIC = "SENTINEL-MODEL ";

    /**
     * The only classes a model file may contain. Everything else (gadget chains, foreign objects) is rejected
     * before it is instantiated; depth and size limits stop resource-exhaustion streams.
     */
    static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(String.join(";",
            "maxdepth=64", "maxrefs=20000000", "maxbytes=1073741824", "maxarray=100000000",
            "sentinel.ModelBundle", "sentinel.ModelBundle$FeatureStats", "sentinel.ModelBundle$Provenance",
            "sentinel.TrainedForest", "sentinel.FeatureSchema", "sentinel.Threshold", "sentinel.TrafficProfile",
            "smile.anomaly.IsolationForest", "smile.anomaly.IsolationTree", "smile.anomaly.IsolationTree$Node",
            "java.lang.String", "java.lang.Number", "java.lang.Double", "java.lang.Long", "java.lang.Integer",
            "java.lang.Record", "!*"));

    /** Writes the bundle to {@code file} atomically: a temp file beside it, then a rename. */
    public void save(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (OutputStream raw = Files.newOutputStream(tmp)) {
                raw.write((MAGIC + FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
                GZIPOutputStream gz = new GZIPOutputStream(raw, 1 << 16);
                try (ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(gz, 1 << 16))) {
                    out.writeObject(this);
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

    /** Loads a bundle; a missing, foreign, corrupt, truncated or incompatible file is a SentinelException (exit 2). */
    public static ModelBundle load(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            String header = readHeader(in);
            if (header == null || !header.startsWith(MAGIC)) {
                throw SentinelException.badInput(Printable.path(file) + " is not a Sentinel model file: train one with ./jbang train.java");
            }
            String version = header.substring(MAGIC.length()).trim();
            if (!version.equals(String.valueOf(FORMAT_VERSION))) {
                throw SentinelException.badInput(Printable.path(file) + " has model format " + version + "; this Sentinel reads format "
                        + FORMAT_VERSION + ": retrain with ./jbang train.java");
            }
            GZIPInputStream gz = new GZIPInputStream(in, 1 << 16);
            try (ObjectInputStream ois = new ObjectInputStream(gz)) {
                ois.setObjectInputFilter(FILTER);
                Object o = ois.readObject();
                if (!(o instanceof ModelBundle b)) throw SentinelException.badInput(Printable.path(file) + " does not hold a Sentinel model");
                // reading to the end checks gzip's CRC and length trailer, so a cut-off file never loads
                if (gz.read(new byte[512]) >= 0) throw SentinelException.badInput(Printable.path(file) + " has trailing data: retrain with ./jbang train.java");
                b.check(file);
                return b;
            }
        } catch (NoSuchFileException e) {
            throw SentinelException.badInput("model file " + Printable.path(file) + " does not exist: train one with ./jbang train.java");
        } catch (InvalidClassException e) {
            boolean rejected = String.valueOf(e.getMessage()).contains("REJECTED");
            throw SentinelException.badInput(Printable.path(file) + (rejected
                    ? " contains a class that is not allowed in a model file (" + e.classname + "): refusing to load it"
                    : " was written by an incompatible version (" + e.classname + "): retrain with ./jbang train.java"));
        } catch (EOFException e) {
            throw SentinelException.badInput(Printable.path(file) + " is truncated: retrain with ./jbang train.java");
        } catch (ZipException | StreamCorruptedException | ClassNotFoundException | ClassCastException e) {
            throw SentinelException.badInput(Printable.path(file) + " is corrupt (" + e.getClass().getSimpleName() + "): retrain with ./jbang train.java");
        } catch (IOException e) {
            throw SentinelException.badInput("cannot read model file " + Printable.path(file) + ": " + e.getMessage());
        }
    }

    private void check(Path file) {
        if (forest == null || schema == null || threshold == null || featureStats == null || provenance == null
                || forest.features() != schema.size() || featureStats.low().length != schema.size()
                || (schema.behaviourFeatures() && profile == null)) {
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
