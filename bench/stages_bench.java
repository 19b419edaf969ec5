///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Per-stage CPU cost of judging a line (parse, features, client window, forest, verdicts, rendering) on one warm thread.
//JAVA 17+
//JAVA_OPTIONS -XX:+UseParallelGC -Xms3g -Xmn2g
//SOURCES ../lib/*.java
//SOURCES StageTimer.java

// Run: ./jbang bench/stages_bench.java [lines] [rounds]     (default 300,000 lines, 7 rounds; about a minute)
// Trains on 100,000 simulated normal lines (seed 42), then times each stage over simulated traffic with 10% attacks
// (seed 7), the same recipe as bench.java's files, keeping each stage's fastest round. Prints ns per line.

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import sentinel.LogFormat;
import sentinel.ModelSettings;
import sentinel.StageTimer;
import sentinel.TrafficSimulator;
import sentinel.Training;
import sentinel.TrainingInput;

public class stages_bench {
    public static void main(String... args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Instant start = Instant.parse("2025-11-27T00:00:00Z");
        StringWriter train = new StringWriter();
        TrafficSimulator.writeBatch(42, 0.0, LogFormat.COMBINED, start, 20.0, 100_000, train);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("stages-train", ".log");
        java.nio.file.Files.writeString(file, train.toString());
        ModelSettings settings = new ModelSettings(0.001, Double.NaN, 100, 256, 42, LogFormat.AUTO); // config.yaml's defaults
        var model = new Training(settings).run(file, null, true).bundle();
        java.nio.file.Files.delete(file);
        StringWriter test = new StringWriter();
        TrafficSimulator.writeBatch(7, 0.1, LogFormat.COMBINED, start, 20.0, lines, test);
        List<String> all = test.toString().lines().toList();
        System.out.printf("%,d lines, %d rounds, fastest round per stage (ns per line, one thread):%n", all.size(), rounds);
        Map<String, Double> t = StageTimer.time(model, all, rounds);
        t.forEach((stage, ns) -> System.out.printf("  %-28s %7.0f%n", stage, ns));
    }
}
