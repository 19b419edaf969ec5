///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Week 1: learn normal traffic from the training log and save the Isolation Forest model.
//JAVA 17+
//JAVA_OPTIONS -XX:+UseSerialGC -XX:FreqInlineSize=100 -XX:InlineSmallCode=1000 -XX:MaxInlineLevel=6 -XX:LoopUnrollLimit=16
//SOURCES lib/*.java
//MAIN train

// Run it:   ./jbang train.java                 (reads train_file from config.yaml, writes model_file)
// You see:  Week 1: Model trained and saved successfully!
//           Read 20,000 lines from logs/train_logs.txt: 20,000 parsed, 0 skipped. Fitted 100 trees ...
// Again:    Week 4: Model retrained and saved successfully!   (it replaced a model, kept as anomaly_model.prev)
// Retrain:  ./jbang train.java 'logs/access.log*' --since 2025-11-20 --exclude-anomalies   (.gz files too)
// Bad data (missing/empty file, too few usable lines) exits 2 and leaves the old model untouched.
// JVM options: as detect.java's, a training run is short, so less C2 compiling leaves more of two cores for the work.

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sentinel.Cli;
import sentinel.Config;
import sentinel.ConfigOptions;
import sentinel.ExitCodes;
import sentinel.ModelBundle;
import sentinel.OutputOptions;
import sentinel.Retraining;
import sentinel.TimeArgument;
import sentinel.Training;
import sentinel.TrainingInput;

@Command(name = "train", mixinStandardHelpOptions = true, version = "Sentinel 0.1.0", showDefaultValues = true,
        description = "Week 1: learn normal traffic from the training log and save the Isolation Forest model.")
public class train implements Callable<Integer> {

    @Mixin ConfigOptions config;
    @Mixin OutputOptions output;

    @Parameters(paramLabel = "<file>", arity = "0..*", description = "Training files or globs (e.g. 'logs/access.log*', .gz too); default: train_file.")
    List<String> files = List.of();

    @Option(names = "--since", paramLabel = "<time>", converter = TimeArgument.class, description = "Use only lines at or after this time (2025-11-20 or 2025-11-20T08:00:00Z).")
    Instant since;

    @Option(names = "--until", paramLabel = "<time>", converter = TimeArgument.class, description = "Use only lines before this time.")
    Instant until;

    @Option(names = "--exclude-anomalies", description = "Drop lines the current model flags, so attacks do not become the new normal.")
    boolean excludeAnomalies;

    @Override
    public Integer call() {
        long started = System.nanoTime();
        Config cfg = config.load();
        Path model = cfg.modelFile();
        List<Path> inputs = files.isEmpty() ? List.of(cfg.existingFile("train_file")) : TrainingInput.expand(files, Path.of(""));
        ModelBundle previous = Files.exists(model) && (excludeAnomalies || !output.quiet()) ? ModelBundle.load(model) : null;
        var exclude = excludeAnomalies ? Retraining.flaggedBy(Retraining.require(previous, model), cfg.model().parser()) : null;
        TrainingInput.Data data = new TrainingInput(cfg.model().parser(), since, until).read(inputs, exclude, output.quiet());
        Training.Result result = new Training(cfg.model()).train(data, Training.displayName(inputs), started);
        boolean replacing = Files.exists(model);
        Path kept = Retraining.keepPrevious(model);
        result.bundle().save(model);
        System.out.println(replacing ? "Week 4: Model retrained and saved successfully!" : "Week 1: Model trained and saved successfully!");
        if (output.quiet()) return ExitCodes.OK;
        System.err.println(result.summary(Path.of(Training.displayName(List.of(model)))));
        if (previous != null) System.err.println(Retraining.compare(previous, result.bundle(), cfg.model().parser(), data.records(), kept.getFileName().toString()));
        return ExitCodes.OK;
    }

    public static void main(String... args) {
        System.exit(Cli.run(new train(), args));
    }
}
