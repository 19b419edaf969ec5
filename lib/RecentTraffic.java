// RecentTraffic.java -- a bounded ring of the most recent raw log lines detect judged normal, for background retraining.
package sentinel;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} lines judged normal (parsed and not anomalous), oldest first. Raw lines, not parsed
 * records: a line costs only its text here and is parsed again at training time, so memory stays bounded by
 * the capacity times the line length. Anomalies never enter, so attacks do not become the new normal.
 * Thread-safe: detect adds from its emitting thread while the retrainer takes snapshots.
 */
public final class RecentTraffic {
    private final String[] ring;
    private int next;
    private int size;
    private long added;

    public RecentTraffic(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.ring = new String[capacity];
    }

    public int capacity() {
        return ring.length;
    }

    /** Keeps {@code line}, dropping the oldest when full. */
    public synchronized void add(String line) {
        put(line);
    }

    /** Keeps the verdict's line when it parsed and is not an anomaly. */
    public synchronized void offer(Verdict v) {
        if (v.parsed() && !v.anomaly()) put(v.line());
    }

    /** {@link #offer(Verdict)} for the first {@code count} verdicts of a block, under one lock. */
    public synchronized void offer(Verdict[] verdicts, int count) {
        for (int i = 0; i < count; i++) {
            Verdict v = verdicts[i];
            if (v.parsed() && !v.anomaly()) put(v.line());
        }
    }

    private void put(String line) {
        ring[next] = line;
        next = next + 1 == ring.length ? 0 : next + 1;
        if (size < ring.length) size++;
        added++;
    }

    /** The kept lines, oldest first (a copy: adding goes on meanwhile). */
    public synchronized List<String> snapshot() {
        List<String> out = new ArrayList<>(size);
        int start = size < ring.length ? 0 : next;
        for (int i = 0; i < size; i++) out.add(ring[(start + i) % ring.length]);
        return out;
    }

    /** Lines kept now (at most the capacity). */
    public synchronized int size() {
        return size;
    }

    /** Lines ever kept, including those since dropped: tells whether anything new arrived. */
    public synchronized long added() {
        return added;
    }
}
