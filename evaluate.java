///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Train on normal traffic, judge a labelled log and print ROC AUC, PR AUC, precision, recall, F1 and the share of each source flagged.
//JAVA 17+
//SOURCES lib/*.java
//MAIN evaluate

// Run it:   ./jbang evaluate.java --train ../shared/data/nginx-real/train_access.log \
//               --test ../shared/data/nginx-real/dev_access.log --labels ../shared/data/nginx-real/dev_labels.csv
// You see:  model: contamination 0.001 -> threshold 0.6650 (flags 0.10% of training), 37 features, ...
//           ROC AUC 0.9999   PR AUC 0.9990
//           precision 0.98 ... then one row per source (tool) with the share of its lines flagged
// Labels:   CSV line_no,label,source (label 1 = attack), one row per line of --test.
// Also:     --no-ua-features (measure without anything read from the user agent), --json, --contamination, --seed ...

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sentinel.Cli;
import sentinel.Config;
import sentinel.ConfigOptions;
import sentinel.Evaluation;
import sentinel.ExitCodes;
import sentinel.OutputOptions;

@Command(name = "evaluate", mixinStandardHelpOptions = true, version = "Sentinel 0.1.0", showDefaultValues = true,
        description = "Train on normal traffic, judge a labelled log line by line as detect.java would, and print detection quality.")
public class evaluate implements Callable<Integer> {

    @Mixin ConfigOptions config;
    @Mixin OutputOptions output;

    @Option(names = "--train", paramLabel = "<file>", description = "Normal traffic to train on (default: train_file from the configuration).")
    Path train;

    @Option(names = "--test", paramLabel = "<file>", required = true, description = "Log to judge, line by line in order.")
    Path test;

    @Option(names = "--labels", paramLabel = "<file>", required = true, description = "CSV line_no,label,source for every line of --test (label 1 = attack).")
    Path labels;

    @Option(names = "--no-ua-features", description = "Leave out every feature read from the user agent (its length, family, attack syntax and rarity).")
    boolean noUaFeatures;

    @Override
    public Integer call() {
        Config cfg = config.load();
        Evaluation.Trial trial = Evaluation.trainAndRun(cfg.model(), !noUaFeatures, train != null ? train : cfg.trainFile(), test, labels);
        System.out.print(output.json() ? trial.json() + System.lineSeparator() : trial.report());
        return ExitCodes.OK;
    }

    public static void main(String... args) {
        System.exit(Cli.run(new evaluate(), args));
    }
}
