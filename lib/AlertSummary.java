// AlertSummary.java -- what a burst of grouped anomalies adds up to, for one summary message.
package sentinel;

import java.time.Instant;
import java.util.List;

/**
 * The anomalies grouped after the first of a burst: how many, from how many clients ({@code clientsCapped}:
 * at least that many, counting stopped), the most frequent paths and clients, the highest score, and when
 * the first and last arrived.
 */
public record AlertSummary(long count, int clients, boolean clientsCapped, List<Tally> topPaths, List<Tally> topClients,
                           double maxScore, double threshold, Instant first, Instant last) {

    /** One value and how often it occurred in the group. */
    public record Tally(String value, long count) {}

    public AlertSummary {
        topPaths = List.copyOf(topPaths);
        topClients = List.copyOf(topClients);
    }
}
