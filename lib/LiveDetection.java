// LiveDetection.java -- detect.java's assembly: printer, alerts, simulator, model watcher, retrainer, source, run.
package sentinel;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One detect session: wires the verdict printer, Slack or Kafka alerts, the optional simulator, the model watcher
 * (hot reload), the optional background retrainer and the line source around a {@link DetectionRun}, runs it to
 * the end of the input or to SIGINT/SIGTERM, then closes everything and prints the summary.
 */
public final class LiveDetection {
    /** How detect.java was asked to run; {@code rate} is the simulated lines per second when {@code simulate}. */
    public record Options(boolean once, boolean fromStart, boolean json, boolean color, boolean quietOk, boolean quiet,
                          boolean simulate, double rate) {}

    private final Config cfg;
    private final Options options;
    private final Consumer<String> notices;
    private final RetrainSettings retrain;
    private VerdictPrinter printer;
    private SlackNotifier notifier;
    private KafkaAlertSink kafkaAlerts;
    private SimulationWriter simulator;
    private ModelWatcher watcher;
    private BackgroundRetrainer retrainer;

    /** Checks the settings only this session reads (retrain_every, retrain_lines): a bad one throws before anything starts. */
    public LiveDetection(Config cfg, Options options, Consumer<String> notices) {
        this.cfg = cfg;
        this.options = options;
        this.notices = notices;
        RetrainSettings r = RetrainSettings.from(cfg);
        this.retrain = options.once() ? null : r; // --once ends before any round; the file-watching swap is live only
    }

    /** The retraining this session will run, or null (off: no ring of lines is kept). */
    RetrainSettings retrain() {
        return retrain;
    }

    /** Detects with {@code bundle} (hot-reloading later models) until the input ends or a signal stops it. */
    public void run(ModelBundle bundle) throws Exception {
        printer = new VerdictPrinter(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                options.json(), options.color(), options.quietOk(), !options.once());
        notifier = new SlackNotifier(cfg.alert(), SlackNotifier.localHostName(), cfg.logFile().toString(), System.err::println);
        String alertsTo = (String) cfg.get("alerts_to");
        kafkaAlerts = alertsTo == null ? null : KafkaAlertSink.open(alertsTo, (Path) cfg.get("kafka_config"), SlackNotifier.localHostName());
        notices.accept(kafkaAlerts != null ? kafkaAlerts.describe() : notifier.describe());
        if (options.simulate()) {
            simulator = new SimulationWriter(new TrafficSimulator(cfg.model().seed(), 0.1, LogFormat.COMBINED), cfg.logFile(), null, options.rate());
            simulator.start(0);
        }
        var detector = new AtomicReference<>(new Detector(bundle, cfg.model().parser()));
        // Lines in blocks across cores (files and stdin); run.sync() below keeps checkpoints behind the printed verdicts.
        var run = new DetectionRun(detector.get(), printer, kafkaAlerts != null ? kafkaAlerts : notifier::offer).batched(true);
        if (!options.once()) {
            watcher = new ModelWatcher(cfg.modelFile(), 1000, b -> {
                Detector next = new Detector(b, cfg.model().parser());
                detector.set(next); // so Kafka partition moves forget clients in the state now in use
                run.replace(next);
            }, notices).start();
        }
        if (retrain != null) startRetraining(run, detector);
        LineSource source = Sources.open(cfg, options.fromStart() || options.once(), options.once(),
                () -> detector.get().featurizer().clients(), () -> {
                    run.sync();      // checkpoints and offsets cover only verdicts that are out and alerts that are handed over
                    printer.flush();
                    if (kafkaAlerts != null) kafkaAlerts.flush();
                }, notices);
        run.runUntilStopped(source, () -> finish(run));
    }

    /** Only lines judged normal feed the ring; the ring exists only when retraining is on. */
    private void startRetraining(DetectionRun run, AtomicReference<Detector> detector) {
        RecentTraffic recent = new RecentTraffic(retrain.lines());
        run.feeding(recent);
        String source = cfg.get("source") != null ? "the Kafka source" : cfg.logFile().getFileName().toString();
        retrainer = new BackgroundRetrainer(retrain, cfg.model(), cfg.modelFile(), source, recent, detector::get, notices);
        notices.accept(retrainer.describe());
        retrainer.start();
    }

    private void finish(DetectionRun run) {
        if (retrainer != null) retrainer.close();
        if (watcher != null) watcher.close();
        if (simulator != null) simulator.close();
        notifier.close();
        if (kafkaAlerts != null) kafkaAlerts.close();
        if (!options.quiet()) run.printSummary(System.err, kafkaAlerts != null ? "alerts: " + kafkaAlerts.stats()
                : notifier.active() ? "alerts: " + notifier.stats() : "");
    }
}
