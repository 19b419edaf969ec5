// AlertGrouper.java -- decides, per anomaly, whether it is alerted now, folded into a burst summary, or suppressed.
package sentinel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Storm control. The first anomaly of a burst is alerted at once and opens a window of {@code groupWindow};
 * every anomaly inside the window is folded into one summary, due when the window ends. Outside a window,
 * a client and path alerted less than {@code realert} ago are suppressed. Time is passed in, so the rules
 * are testable without waiting. Memory is bounded: tallies and remembered keys stop growing at fixed caps.
 * Not thread-safe; the notifier guards it.
 */
final class AlertGrouper {
    /** What happens to one anomaly. */
    enum Decision { SEND, GROUPED, SUPPRESSED }

    static final int MAX_KEYS = 10_000;
    static final int MAX_TALLY = 1_000;

    private final Duration window;
    private final Duration realert;
    private final Map<String, Instant> lastAlerted = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > MAX_KEYS;
        }
    };
    private final List<AlertSummary> ready = new ArrayList<>();
    private Instant windowEnd;
    private Group group;

    AlertGrouper(Duration window, Duration realert) {
        this.window = window;
        this.realert = realert;
    }

    /** Classifies an anomaly seen at {@code now}. */
    Decision admit(Verdict v, Instant now) {
        closeIfEnded(now);
        AccessRecord r = v.record();
        if (windowEnd != null) {
            if (group == null) group = new Group(now);
            group.add(r == null ? "" : r.ip(), r == null ? "" : r.path(), v, now);
            return Decision.GROUPED;
        }
        String key = r == null ? "\0" + v.line() : r.ip() + ' ' + r.path();
        Instant last = lastAlerted.get(key);
        if (last != null && now.isBefore(last.plus(realert))) return Decision.SUPPRESSED;
        lastAlerted.put(key, now);
        if (!window.isZero() && !window.isNegative()) windowEnd = now.plus(window);
        return Decision.SEND;
    }

    Duration window() {
        return window;
    }

    Duration realert() {
        return realert;
    }

    /** Summaries whose window has ended by {@code now} (usually none or one); clears them. */
    List<AlertSummary> takeDue(Instant now) {
        closeIfEnded(now);
        List<AlertSummary> out = List.copyOf(ready);
        ready.clear();
        return out;
    }

    /** Every pending summary, window ended or not (for shutdown); clears them. */
    List<AlertSummary> takeAll() {
        if (group != null) ready.add(group.summary());
        group = null;
        windowEnd = null;
        return takeDue(Instant.MIN);
    }

    /** When the open window ends (its summary may then be due), or null with no open window: the sender wakes then. */
    Instant nextDue() {
        return windowEnd;
    }

    private void closeIfEnded(Instant now) {
        if (windowEnd == null || now.isBefore(windowEnd)) return;
        if (group != null) ready.add(group.summary());
        group = null;
        windowEnd = null;
    }

    /** The running tallies of one window. */
    private static final class Group {
        private final Map<String, Long> clients = new HashMap<>();
        private final Map<String, Long> paths = new HashMap<>();
        private final Instant first;
        private Instant last;
        private long count;
        private boolean clientsCapped;
        private double maxScore = Double.NEGATIVE_INFINITY;
        private double threshold = Double.NaN;

        Group(Instant first) {
            this.first = first;
            this.last = first;
        }

        void add(String client, String path, Verdict v, Instant now) {
            count++;
            last = now;
            clientsCapped |= !tally(clients, client);
            tally(paths, path);
            if (v.score() > maxScore) {
                maxScore = v.score();
                threshold = v.threshold();
            }
        }

        /** Counts {@code key}; false when it is new but the map is full (so only existing keys keep counting). */
        private static boolean tally(Map<String, Long> m, String key) {
            if (m.size() >= MAX_TALLY && !m.containsKey(key)) return false;
            m.merge(key, 1L, Long::sum);
            return true;
        }

        AlertSummary summary() {
            return new AlertSummary(count, clients.size(), clientsCapped, top(paths), top(clients),
                    maxScore, threshold, first, last);
        }

        private static List<AlertSummary.Tally> top(Map<String, Long> m) {
            return m.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                    .limit(SlackMessage.MAX_TALLIES)
                    .map(e -> new AlertSummary.Tally(e.getKey(), e.getValue()))
                    .toList();
        }
    }
}
