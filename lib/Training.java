// Training.java -- reads normal traffic, fits the forest, calibrates the threshold and assembles a ModelBundle.
package sentinel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The training pipeline shared by train.java, detect.java's first run, evaluation and notebooks. */
public final class Training {
    /** Fewer usable lines than this cannot describe normal traffic. */
    public static final int MIN_ROWS = 100;

    private final ModelSettings settings;
    private final FeatureSchema schema;

    /** What training read and built. */
    public record Result(ModelBundle bundle, long linesRead, Map<ParseResult.Reason, Long> malformed, double[] trainingScores) {

        /** A one-paragraph summary for people: what was read, what was built, what it will flag. */
        public String summary(Path modelFile) {
            ModelBundle.Provenance p = bundle.provenance();
            Threshold t = bundle.threshold();
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "Read %,d lines from %s: %,d parsed, %,d skipped", linesRead, p.trainFiles(),
                    p.linesParsed(), p.linesMalformed()));
            if (!malformed.isEmpty()) sb.append(" ").append(malformed);
            sb.append(String.format(Locale.ROOT, ". Fitted %d trees on %d-row samples over %d features in %.2f s. ",
                    p.trees(), Math.min(p.sampleSize(), p.rows()), bundle.schema().size(), p.trainingMillis() / 1000.0));
            sb.append(String.format(Locale.ROOT, "Threshold %.4f (%s) flags %.2f%% of the training lines; ",
                    t.cut(), t.rule(), t.trainingAlertRate() * 100));
            sb.append(String.format(Locale.ROOT, "training scores: median %.3f, p99 %.3f, max %.3f. Saved to %s.",
                    t.quantiles()[0], t.quantiles()[2], t.quantiles()[4], modelFile));
            return sb.toString();
        }
    }

    public Training(ModelSettings settings, FeatureSchema schema) {
        this.settings = settings;
        this.schema = schema;
    }

    /** Training with the default features. */
    public Training(ModelSettings settings) {
        this(settings, Featurizer.schemaFor(Featurizer.DEFAULT_BUCKETS, true, true));
    }

    /**
     * Loads the configured model; when its file is missing but the training file exists, trains and saves
     * one first, saying so on {@code notices}.
     */
    public static ModelBundle loadOrTrain(Config cfg, Consumer<String> notices, boolean quiet) {
        if (!Files.exists(cfg.modelFile()) && Files.exists(cfg.trainFile())) {
            notices.accept("no model at " + cfg.modelFile().getFileName() + " yet: training on " + cfg.trainFile().getFileName() + " first");
            Result r = new Training(cfg.model()).run(cfg.trainFile(), null, quiet);
            r.bundle().save(cfg.modelFile());
            notices.accept(r.summary(cfg.modelFile().getFileName()));
            return r.bundle();
        }
        return ModelBundle.load(cfg.modelFile());
    }

    /** Reads {@code file} (UTF-8, bad bytes replaced) and trains; too few usable lines is a SentinelException (exit 2). */
    public Result run(Path file, Path relativeTo, boolean quiet) {
        AccessLogParser parser = new AccessLogParser(settings.logFormat());
        List<AccessRecord> records = new ArrayList<>();
        Map<ParseResult.Reason, Long> malformed = new EnumMap<>(ParseResult.Reason.class);
        long lines = 0;
        String sha;
        long started = System.nanoTime();
        try (InputStream raw = Files.newInputStream(file);
             Progress progress = Progress.onStderr("reading " + file.getFileName(), Files.size(file), quiet)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            CountingStream counted = new CountingStream(new DigestInputStream(raw, digest));
            BufferedReader reader = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
            for (String line; (line = reader.readLine()) != null; ) {
                lines++;
                ParseResult pr = parser.parse(line);
                if (pr instanceof ParseResult.Parsed p) records.add(p.record());
                else malformed.merge(((ParseResult.Malformed) pr).reason(), 1L, Long::sum);
                if ((lines & 1023) == 0) progress.update(counted.count);
            }
            sha = HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchFileException e) {
            throw SentinelException.badInput("training file " + file + " does not exist");
        } catch (IOException e) {
            throw SentinelException.badInput("cannot read training file " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (records.size() < MIN_ROWS) {
            throw SentinelException.badInput("training file " + file + " has " + records.size() + " usable lines of " + lines
                    + " (at least " + MIN_ROWS + " are needed)" + (malformed.isEmpty() ? "" : "; unparsed: " + malformed));
        }
        return train(records, lines, malformed, sha, relativeName(file, relativeTo), started);
    }

    /**
     * Trains on parsed records in log order: first counts paths and user agents into the profile, then
     * featurizes every record (rarity leaving the record itself out), fits, scores and calibrates.
     */
    public Result train(List<AccessRecord> records, long lines, Map<ParseResult.Reason, Long> malformed, String sha, String name,
                        long started) {
        TrafficProfile profile = null;
        if (schema.behaviourFeatures()) {
            profile = new TrafficProfile();
            for (AccessRecord r : records) profile.add(r);
        }
        Featurizer featurizer = new Featurizer(schema, profile);
        double[][] x = new double[records.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[schema.size()];
            featurizer.featurize(records.get(i), x[i], true);
        }
        return build(x, profile, lines, malformed, sha, name, started);
    }

    private Result build(double[][] x, TrafficProfile profile, long lines, Map<ParseResult.Reason, Long> malformed, String sha, String name, long started) {
        TrainedForest forest = new ForestTrainer(settings.trees(), settings.sampleSize(), settings.seed()).fit(x);
        double[] scores = new double[x.length];
        new ForestScorer(forest).score(x, scores);
        Threshold threshold = Threshold.calibrate(scores, settings);
        long malformedCount = malformed.values().stream().mapToLong(Long::longValue).sum();
        long millis = (System.nanoTime() - started) / 1_000_000;
        ModelBundle.Provenance p = new ModelBundle.Provenance(name, sha, lines, x.length, malformedCount, x.length,
                settings.trees(), settings.sampleSize(), settings.seed(),
                settings.autoContamination() ? "auto" : String.valueOf(settings.contamination()),
                settings.logFormat().configName(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                ModelBundle.SENTINEL_VERSION, "3.1.1", System.getProperty("java.version"), millis);
        ModelBundle bundle = new ModelBundle(forest, schema, profile, threshold, featureStats(x), p);
        return new Result(bundle, lines, malformed, scores);
    }

    /** Per-column 0.5%, 50% and 99.5% quantiles, minimum and maximum. */
    static ModelBundle.FeatureStats featureStats(double[][] x) {
        int p = x[0].length;
        double[] lo = new double[p], mid = new double[p], hi = new double[p], min = new double[p], max = new double[p];
        double[] col = new double[x.length];
        for (int j = 0; j < p; j++) {
            for (int i = 0; i < x.length; i++) col[i] = x[i][j];
            Arrays.sort(col);
            lo[j] = Threshold.quantile(col, 0.005);
            mid[j] = Threshold.quantile(col, 0.5);
            hi[j] = Threshold.quantile(col, 0.995);
            min[j] = col[0];
            max[j] = col[col.length - 1];
        }
        return new ModelBundle.FeatureStats(lo, mid, hi, min, max);
    }

    private static String relativeName(Path file, Path relativeTo) {
        Path abs = file.toAbsolutePath().normalize();
        if (relativeTo != null && abs.startsWith(relativeTo.toAbsolutePath())) return relativeTo.toAbsolutePath().relativize(abs).toString();
        return file.getFileName().toString();
    }

    /** Counts bytes read, for progress. */
    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
