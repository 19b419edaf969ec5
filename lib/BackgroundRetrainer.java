// BackgroundRetrainer.java -- detect --retrain-every: retrains on the recent normal lines and saves the model for the watcher to swap in.
package sentinel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Every {@link RetrainSettings#every}, trains a new model on the lines in {@link RecentTraffic} with the running
 * model's settings and features, keeps the model file as {@code .prev} and saves the new one by atomic rename:
 * the {@link ModelWatcher} then swaps it in between two lines exactly as after an external retrain. Each round
 * ends in one notice (retrained, skipped or failed); a failure keeps the running model and the next round comes.
 * Training runs on one low-priority daemon thread whose pool also takes training's parallel work, so detection
 * keeps the other cores.
 */
public final class BackgroundRetrainer implements AutoCloseable {
    private final RetrainSettings settings;
    private final ModelSettings model;
    private final Path modelFile;
    private final String sourceName;
    private final RecentTraffic recent;
    private final Supplier<Detector> current;
    private final Consumer<String> notices;
    private final ForkJoinPool pool;
    private volatile boolean stopped;
    private long trainedAt = -1;

    /**
     * @param sourceName names the traffic in the model's provenance (e.g. the log file's name)
     * @param current    the detector in use: its model is compared with and its parser and features reused
     */
    public BackgroundRetrainer(RetrainSettings settings, ModelSettings model, Path modelFile, String sourceName,
                               RecentTraffic recent, Supplier<Detector> current, Consumer<String> notices) {
        this.settings = settings;
        this.model = model;
        this.modelFile = modelFile;
        this.sourceName = sourceName;
        this.recent = recent;
        this.current = current;
        this.notices = notices;
        this.pool = new ForkJoinPool(1, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("sentinel-retrain");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        }, null, false);
    }

    /** One line for detect's start-up notices. */
    public String describe() {
        return String.format(Locale.ROOT, "retraining every %s on the last %,d normal lines (previous model kept as %s)",
                Printable.duration(settings.every()), settings.lines(), Retraining.previousFile(modelFile).getFileName());
    }

    /** Starts the rounds; returns this. */
    public BackgroundRetrainer start() {
        pool.execute(this::loop);
        return this;
    }

    private void loop() {
        while (!stopped) {
            try {
                Thread.sleep(settings.every().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (stopped) return;
            String notice = retrainOnce();
            if (!stopped) notices.accept(notice);
        }
    }

    /** One round now, on the calling thread; returns its notice. Never throws. */
    public String retrainOnce() {
        long added = recent.added();
        if (added == trainedAt) return "retrain skipped: no new normal lines since the last retrain";
        List<String> lines = recent.snapshot();
        int needed = RetrainSettings.needed(model);
        if (lines.size() < needed) {
            return String.format(Locale.ROOT, "retrain skipped: %,d normal lines seen so far, at least %,d are needed", lines.size(), needed);
        }
        try {
            String notice = train(lines);
            trainedAt = added;
            return notice;
        } catch (SentinelException e) {
            return "retrain failed, keeping the running model: " + e.getMessage();
        } catch (RuntimeException | OutOfMemoryError e) {
            return "retrain failed, keeping the running model: " + e;
        }
    }

    private String train(List<String> lines) {
        long started = System.nanoTime();
        Detector running = current.get();
        AccessLogParser parser = running.newParser();
        List<AccessRecord> records = new ArrayList<>(lines.size());
        Map<ParseResult.Reason, Long> malformed = new EnumMap<>(ParseResult.Reason.class);
        MessageDigest digest = sha256();
        for (String line : lines) {
            digest.update(line.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            ParseResult pr = parser.parse(line);
            if (pr instanceof ParseResult.Parsed p) records.add(p.record());
            else malformed.merge(((ParseResult.Malformed) pr).reason(), 1L, Long::sum);
        }
        int needed = RetrainSettings.needed(model);
        if (records.size() < needed) {
            return String.format(Locale.ROOT, "retrain skipped: %,d of the %,d kept lines parse, at least %,d are needed", records.size(),
                    lines.size(), needed);
        }
        String name = "recent normal lines of " + sourceName;
        Training.Result r = new Training(model, running.bundle().schema())
                .train(records, lines.size(), malformed, HexFormat.of().formatHex(digest.digest()), name, started);
        if (stopped) return "retrain stopped";
        Path kept = Retraining.keepPrevious(modelFile);
        r.bundle().save(modelFile);
        Threshold before = running.bundle().threshold(), after = r.bundle().threshold();
        return String.format(Locale.ROOT, "retrained on the last %,d normal lines in %.1f s: threshold %.4f -> %.4f (flags %.2f%% of them)%s",
                records.size(), (System.nanoTime() - started) / 1e9, before.cut(), after.cut(), after.trainingAlertRate() * 100,
                kept == null ? "" : "; previous model kept as " + kept.getFileName());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the rounds; a training under way finishes on its daemon thread but saves nothing. */
    @Override
    public void close() {
        stopped = true;
        pool.shutdownNow();
    }
}
