// Verdict.java -- the detector's judgement of one input line.
package sentinel;

import java.util.List;

/**
 * The judgement of one line. For a line that did not parse, {@code record} and {@code features} are null,
 * {@code malformed} names the reason, {@code score} is NaN and {@code anomaly} is false.
 * {@code reasons} lists the features that made an anomalous line unusual, strongest first (empty for OK lines).
 * {@code position} says where the line came from (file offset, Kafka {@code topic-partition@offset}), may be null.
 */
public record Verdict(
        long lineNo,
        String line,
        AccessRecord record,
        ParseResult.Reason malformed,
        double score,
        double threshold,
        boolean anomaly,
        double[] features,
        List<Contribution> reasons,
        String position) {

    /** One feature's share in a verdict: its value and the range it had in training. */
    public record Contribution(String feature, double value, double typicalLow, double typicalHigh) {}

    public boolean parsed() {
        return record != null;
    }
}
