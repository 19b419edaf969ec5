// Retraining.java -- week 4: what changed between the previous model and a new one, and keeping the previous one.
package sentinel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** Helpers for replacing a model: keep the old one as {@code .prev}, drop what it flags, and report the difference. */
public final class Retraining {
    private Retraining() {}

    /** {@code models/anomaly_model.bin} becomes {@code models/anomaly_model.prev}. */
    public static Path previousFile(Path modelFile) {
        String name = modelFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return modelFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".prev");
    }

    /** Copies the current model file to {@link #previousFile} (replacing an older one); no-op when there is none. */
    public static Path keepPrevious(Path modelFile) {
        if (!Files.exists(modelFile)) return null;
        Path prev = previousFile(modelFile);
        try {
            Files.copy(modelFile, prev, StandardCopyOption.REPLACE_EXISTING);
            return prev;
        } catch (IOException e) {
            throw SentinelException.failure("cannot keep the previous model as " + prev + ": " + e.getMessage(), e);
        }
    }

    /** {@code previous}, or a SentinelException saying --exclude-anomalies needs a model to judge with. */
    public static ModelBundle require(ModelBundle previous, Path modelFile) {
        if (previous == null) {
            throw SentinelException.badInput("--exclude-anomalies needs a current model to judge with, but " + modelFile + " does not exist");
        }
        return previous;
    }

    /**
     * A filter dropping the lines {@code model} flags, judged in order as detect would (so attacks in fresh
     * traffic do not become the new normal). Not thread-safe; use it for one pass.
     */
    public static Predicate<AccessRecord> flaggedBy(ModelBundle model, AccessLogParser parser) {
        Detector d = new Detector(model, parser.copy());
        long[] n = {0};
        return r -> d.judge(r.raw(), ++n[0], null).anomaly();
    }

    /** Share of {@code records} that {@code model} flags. */
    public static double alertRate(ModelBundle model, AccessLogParser parser, List<AccessRecord> records) {
        if (records.isEmpty()) return 0;
        Predicate<AccessRecord> flagged = flaggedBy(model, parser);
        long hits = records.stream().filter(flagged).count();
        return (double) hits / records.size();
    }

    /** One line comparing thresholds and alert rates on the new training data. */
    public static String compare(ModelBundle previous, ModelBundle fresh, AccessLogParser parser, List<AccessRecord> records, String keptAs) {
        double before = alertRate(previous, parser, records);
        return String.format(Locale.ROOT,
                "Compared with the previous model (kept as %s): threshold %.4f -> %.4f; on this training data it flagged %.2f%%, the new one %.2f%%.",
                keptAs, previous.threshold().cut(), fresh.threshold().cut(), before * 100, fresh.threshold().trainingAlertRate() * 100);
    }
}
