///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Append realistic web traffic (about 10%% anomalous) to the access log, for the live demo and tests.
//JAVA 17+
//SOURCES lib/*.java
//MAIN simulate

// Run it:   ./jbang simulate.java                      (20 lines/s into log_file until Ctrl-C)
//           ./jbang simulate.java --count 2000 --rate 0 --labels logs/labels.csv   (as fast as possible, labelled)
//           ./jbang simulate.java --mode train --count 20000 --rate 0 --log-file logs/my_train.txt
// You see:  simulate: appending to logs/access.log at 20 lines/s (10% anomalies); Ctrl-C to stop
//           simulate: wrote 2000 lines (205 anomalous) to logs/access.log

import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import java.nio.file.Path;
import sentinel.Cli;
import sentinel.Config;
import sentinel.ConfigOptions;
import sentinel.ExitCodes;
import sentinel.LogFormat;
import sentinel.Printable;
import sentinel.SentinelException;
import sentinel.SimulationWriter;
import sentinel.TrafficSimulator;

@Command(name = "simulate", mixinStandardHelpOptions = true, version = "Sentinel 0.1.0", showDefaultValues = true,
        description = "Append realistic web traffic (about 10%% anomalous) to the access log.")
public class simulate implements Callable<Integer> {

    /** What kind of traffic to write. */
    enum Mode { live, train }

    /** Line layouts the simulator writes (picocli lists them in --help). */
    static final class Formats extends java.util.ArrayList<String> {
        Formats() { super(java.util.List.of("combined", "common", "seed", "nginx-json")); }
    }

    @Mixin ConfigOptions config;

    @Option(names = "--rate", paramLabel = "<lines/s>", defaultValue = "20", description = "Lines per second; 0 writes as fast as possible with simulated timestamps.")
    double rate;

    @Option(names = "--anomaly-rate", paramLabel = "<share>", defaultValue = "0.1", description = "Share of anomalous lines in [0, 1].")
    double anomalyRate;

    @Option(names = "--count", paramLabel = "<n>", defaultValue = "0", description = "Lines to write; 0 means until stopped.")
    long count;

    @Option(names = "--labels", paramLabel = "<file>", description = "Also append 'line_no,label,kind' for every line to this CSV.")
    Path labels;

    @Option(names = "--mode", defaultValue = "live", description = "live (mixed traffic) or train (normal traffic only): ${COMPLETION-CANDIDATES}.")
    Mode mode;

    @Option(names = "--format", defaultValue = "combined", completionCandidates = Formats.class, description = "Line layout: ${COMPLETION-CANDIDATES}.")
    String format;

    @Override
    public Integer call() {
        Config cfg = config.load();
        if (!(anomalyRate >= 0 && anomalyRate <= 1)) throw SentinelException.badInput("--anomaly-rate must be in [0, 1]");
        if (rate < 0 || (rate == 0 && count == 0)) throw SentinelException.badInput("--rate 0 needs --count (writing as fast as possible forever fills the disk)");
        double share = mode == Mode.train ? 0 : anomalyRate;
        LogFormat layout = LogFormat.fromName(format);
        if (layout == null || !new Formats().contains(layout.configName())) {
            throw SentinelException.badInput("--format must be one of " + String.join(", ", new Formats()) + ", not '" + Printable.escape(format) + "'");
        }
        var sim = new TrafficSimulator(cfg.model().seed(), share, layout);
        var writer = new SimulationWriter(sim, cfg.logFile(), labels, rate);
        Runtime.getRuntime().addShutdownHook(new Thread(writer::close));
        String to = SimulationWriter.isStdout(cfg.logFile()) ? "standard output" : Printable.path(cfg.logFile());
        if (rate > 0) System.err.printf("simulate: appending to %s at %s lines/s (%.0f%% anomalies); Ctrl-C to stop%n", to, rate, share * 100);
        writer.run(count, Instant.parse("2025-11-27T00:00:00Z"));
        System.err.printf("simulate: wrote %d lines (%d anomalous) to %s%n", writer.written(), writer.anomalies(), to);
        return ExitCodes.OK;
    }

    public static void main(String... args) {
        System.exit(Cli.run(new simulate(), args));
    }
}
