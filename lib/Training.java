// Training.java -- reads normal traffic, fits the forest, calibrates the threshold and assembles a ModelBundle.
package sentinel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/** The training pipeline shared by train.java, detect.java's first run, evaluation and notebooks. */
public final class Training {
    /** Fewer usable lines than this cannot describe normal traffic. */
    public static final int MIN_ROWS = 100;

    private final ModelSettings settings;
    private final FeatureSchema schema;

    /** What training read and built. */
    public record Result(ModelBundle bundle, long linesRead, Map<ParseResult.Reason, Long> malformed, double[] trainingScores,
                         long outsideWindow, long excluded) {

        /** A one-paragraph summary for people: what was read, what was built, what it will flag. */
        public String summary(Path modelFile) {
            ModelBundle.Provenance p = bundle.provenance();
            Threshold t = bundle.threshold();
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "Read %,d lines from %s: %,d used, %,d unparsed", linesRead, p.trainFiles(),
                    p.linesParsed(), p.linesMalformed()));
            if (!malformed.isEmpty()) sb.append(" ").append(malformed);
            if (outsideWindow > 0) sb.append(String.format(Locale.ROOT, ", %,d outside --since/--until", outsideWindow));
            if (excluded > 0) sb.append(String.format(Locale.ROOT, ", %,d flagged by the previous model and left out", excluded));
            sb.append(String.format(Locale.ROOT, ". Fitted %d trees on %d-row samples over %d features (%.2f s in all). ",
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
        long started = System.nanoTime();
        TrainingInput.Data data = new TrainingInput(settings.parser(), null, null).read(List.of(file), null, quiet);
        return train(data, relativeName(file, relativeTo), started);
    }

    /** Trains on what {@link TrainingInput} read; too few usable lines is a SentinelException (exit 2). */
    public Result train(TrainingInput.Data data, String name, long started) {
        if (data.records().size() < MIN_ROWS) {
            String extra = (data.malformed().isEmpty() ? "" : "; unparsed: " + data.malformed())
                    + (data.outsideWindow() == 0 ? "" : "; outside --since/--until: " + data.outsideWindow())
                    + (data.excluded() == 0 ? "" : "; excluded as anomalies: " + data.excluded());
            throw SentinelException.badInput("training data " + name + " has " + data.records().size() + " usable lines of "
                    + data.lines() + " (at least " + MIN_ROWS + " are needed)" + extra);
        }
        Result r = train(data.records(), data.lines(), data.malformed(), data.sha256(), name, started);
        return new Result(r.bundle(), r.linesRead(), r.malformed(), r.trainingScores(), data.outsideWindow(), data.excluded());
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
        double[][] x = featurize(records, new Featurizer(schema, profile));
        return build(x, profile, lines, malformed, sha, name, started);
    }

    /**
     * Featurizer.featurize for every record as training lines, the per-line part spread over the cores in chunks
     * (each with its own {@link Featurizer#forWorker}), then the client windows in log order: the same rows as one by one.
     */
    private double[][] featurize(List<AccessRecord> records, Featurizer featurizer) {
        int n = records.size();
        double[][] x = new double[n][];
        long[] pending = new long[n];
        int chunk = 4096;
        IntStream.range(0, (n + chunk - 1) / chunk).parallel().forEach(c -> {
            Featurizer worker = featurizer.forWorker();
            for (int i = c * chunk, end = Math.min(n, i + chunk); i < end; i++) {
                x[i] = new double[schema.size()];
                pending[i] = worker.perLine(records.get(i), x[i], true);
            }
        });
        if (featurizer.clients() != null) {
            for (int i = 0; i < n; i++) featurizer.perClient(records.get(i), pending[i], x[i]);
        }
        return x;
    }

    private Result build(double[][] x, TrafficProfile profile, long lines, Map<ParseResult.Reason, Long> malformed, String sha, String name, long started) {
        // the forest is fitted on this thread (Smile's shared generator keeps it sequential) while a pool thread
        // takes the per-feature statistics
        CompletableFuture<ModelBundle.FeatureStats> stats = CompletableFuture.supplyAsync(() -> featureStats(x));
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
        ModelBundle bundle = new ModelBundle(forest, schema, profile, threshold, stats.join(), p);
        return new Result(bundle, lines, malformed, scores, 0, 0);
    }

    /** Per-column 0.5%, 50% and 99.5% quantiles, minimum and maximum. */
    static ModelBundle.FeatureStats featureStats(double[][] x) {
        int p = x[0].length;
        double[] lo = new double[p], mid = new double[p], hi = new double[p], min = new double[p], max = new double[p];
        long[] col = new long[x.length];
        for (int j = 0; j < p; j++) {
            for (int i = 0; i < x.length; i++) col[i] = orderKey(x[i][j]);
            double[] q = quantiles(col, 0.005, 0.5, 0.995);
            lo[j] = q[0];
            mid[j] = q[1];
            hi[j] = q[2];
            min[j] = q[3];
            max[j] = q[4];
        }
        return new ModelBundle.FeatureStats(lo, mid, hi, min, max);
    }

    /**
     * {@link Threshold#quantile} at each level (then the minimum and maximum) of the values keyed in {@code col}, as
     * if they were sorted, found by selection (O(n) instead of sorting): only the ranks the formula reads are placed,
     * largest first, each search confined to the values below the last. Reorders {@code col}.
     */
    private static double[] quantiles(long[] col, double... levels) {
        int n = col.length;
        TreeSet<Integer> ranks = new TreeSet<>(List.of(0, n - 1));
        for (double level : levels) {
            int i = (int) Math.floor(level * (n - 1));
            ranks.add(Math.min(i, n - 1));
            ranks.add(Math.min(i + 1, n - 1));
        }
        Map<Integer, Double> at = new HashMap<>();
        int limit = n;
        for (int r : ranks.descendingSet()) {
            select(col, limit, r);
            at.put(r, fromOrderKey(col[r]));
            limit = r;
        }
        double[] out = new double[levels.length + 2];
        for (int q = 0; q < levels.length; q++) {
            double pos = levels[q] * (n - 1);
            int i = (int) Math.floor(pos);
            // Threshold.quantile's formula, on the two order statistics it reads
            out[q] = i >= n - 1 ? at.get(n - 1) : at.get(i) + (pos - i) * (at.get(i + 1) - at.get(i));
        }
        out[levels.length] = at.get(0);
        out[levels.length + 1] = at.get(n - 1);
        return out;
    }

    /** Places the k-th smallest of a[0, to) at a[k], smaller ones before it (Hoare partitions; sorts when unlucky). */
    private static void select(long[] a, int to, int k) {
        int from = 0;
        for (int rounds = 0; to - from > 16; rounds++) {
            if (rounds > 64) break;
            int m = (from + to) >>> 1;
            long pivot = Math.max(Math.min(a[from], a[m]), Math.min(Math.max(a[from], a[m]), a[to - 1]));
            int i = from, j = to - 1;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    long t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            if (k <= j) to = j + 1;
            else if (k >= i) from = i;
            else return; // a[j + 1, i) all equal the pivot, k among them
        }
        Arrays.sort(a, from, to);
    }

    /** Longs in the order Arrays.sort puts doubles (-0.0 before 0.0); features are finite, so no NaN. */
    private static long orderKey(double d) {
        long b = Double.doubleToRawLongBits(d);
        return b >= 0 ? b : b ^ Long.MAX_VALUE;
    }

    private static double fromOrderKey(long k) {
        return Double.longBitsToDouble(k >= 0 ? k : k ^ Long.MAX_VALUE);
    }

    /** File names for reports: relative to the working directory when inside it, joined by commas. */
    public static String displayName(List<Path> files) {
        Path cwd = Path.of("").toAbsolutePath();
        List<String> names = new ArrayList<>();
        for (Path f : files) names.add(relativeName(f, cwd));
        return String.join(", ", names);
    }

    private static String relativeName(Path file, Path relativeTo) {
        Path abs = file.toAbsolutePath().normalize();
        if (relativeTo != null && abs.startsWith(relativeTo.toAbsolutePath())) return relativeTo.toAbsolutePath().relativize(abs).toString();
        return file.getFileName().toString();
    }
}
