// LabelledMix.java -- a simulated, labelled mix of normal traffic and attacks for the notebooks, regenerated identically on every run.
package sentinel.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import sentinel.LogFormat;
import sentinel.SimulationWriter;
import sentinel.TrafficSimulator;

/**
 * A log and its labels CSV ({@code line_no,label,kind}) written by lib's {@link TrafficSimulator} through
 * {@link SimulationWriter}, exactly as {@code simulate.java} writes them; {@code hours} is the simulated time the
 * log spans, for alerts-per-hour figures.
 */
public record LabelledMix(Path log, Path labels, int lines, long seed, double anomalyRate, double hours) {

    /** The first simulated timestamp: the day after the training log, so no line repeats a training moment. */
    public static final Instant START = Instant.parse("2025-11-28T09:00:00Z");
    /** SimulationWriter's spacing of simulated (not live) lines: 50 ms, i.e. 20 lines a second like the training log. */
    public static final double SECONDS_PER_LINE = 0.05;

    /**
     * Writes {@code lines} lines into {@code dir} (created when missing), replacing earlier files of the same seed:
     * SimulationWriter appends, and a notebook run twice must see the same data. A seed other than the training
     * log's (42) keeps the mix's normal lines from repeating training lines verbatim.
     */
    public static LabelledMix write(Path dir, long seed, double anomalyRate, int lines) {
        Path log = dir.resolve("mix-" + seed + ".log");
        Path labels = dir.resolve("mix-" + seed + ".labels.csv");
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(log);
            Files.deleteIfExists(labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new SimulationWriter(new TrafficSimulator(seed, anomalyRate, LogFormat.COMBINED), log, labels, 0).run(lines, START);
        return new LabelledMix(log, labels, lines, seed, anomalyRate, lines * SECONDS_PER_LINE / 3600);
    }
}
