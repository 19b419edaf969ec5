// TrafficProfile.java -- how common each path and user agent was in training, in bounded memory (count-min sketches).
package sentinel;

import java.io.Serializable;
import java.util.Locale;

/**
 * Frequencies of normalised paths and user agents seen in training, kept in two count-min sketches
 * ({@value #DEPTH} rows of {@value #WIDTH} counters each, 2 MiB in all, whatever the traffic), so
 * "has this path ever been seen?" costs no vocabulary. Counts may be over-estimated by hash collisions,
 * never under-estimated. Read-only after {@link #add}ing the training lines; safe to share between threads then.
 */
public final class TrafficProfile implements Serializable {
    static final int WIDTH = 1 << 16;
    static final int DEPTH = 4;
    private static final long serialVersionUID = 1L;

    private final int[] paths = new int[WIDTH * DEPTH];
    private final int[] agents = new int[WIDTH * DEPTH];
    private long lines;

    /** Counts one training line. */
    public void add(AccessRecord r) {
        lines++;
        bump(paths, pathKey(r.path()), 1);
        bump(agents, foldDigits(r.userAgent()), 1);
    }

    public long lines() {
        return lines;
    }

    /** Training count of this record's path; {@code leaveOut} subtracts the record's own occurrence (training lines). */
    public int pathCount(AccessRecord r, boolean leaveOut) {
        return Math.max(0, estimate(paths, pathKey(r.path())) - (leaveOut ? 1 : 0));
    }

    /** Training count of this record's user agent with versions folded (Chrome/142 counts as Chrome/131), likewise. */
    public int agentCount(AccessRecord r, boolean leaveOut) {
        return Math.max(0, estimate(agents, foldDigits(r.userAgent())) - (leaveOut ? 1 : 0));
    }

    /** Rarity in bits: log2((lines + 1) / (count + 1)); 0 for the most common, about log2(lines) for never seen. */
    public double rarity(int count) {
        return Math.log((lines + 1.0) / (count + 1.0)) / Math.log(2);
    }

    /** Lower-cased path with digit runs folded to one '0', so /item/17 and /item/18 count together. */
    static String pathKey(String path) {
        return foldDigits(path).toLowerCase(Locale.ROOT);
    }

    /** Digit runs folded to one '0': version numbers and ids do not make a string new. */
    static String foldDigits(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        boolean digits = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c >= '0' && c <= '9') {
                if (!digits) sb.append('0');
                digits = true;
            } else {
                sb.append(c);
                digits = false;
            }
        }
        return sb.toString();
    }

    private static void bump(int[] table, String key, int by) {
        int h1 = key.hashCode(), h2 = mix(h1);
        for (int d = 0; d < DEPTH; d++) {
            int idx = d * WIDTH + ((h1 + d * h2) & (WIDTH - 1));
            if (table[idx] < Integer.MAX_VALUE) table[idx] += by;
        }
    }

    private static int estimate(int[] table, String key) {
        int h1 = key.hashCode(), h2 = mix(h1);
        int min = Integer.MAX_VALUE;
        for (int d = 0; d < DEPTH; d++) min = Math.min(min, table[d * WIDTH + ((h1 + d * h2) & (WIDTH - 1))]);
        return min;
    }

    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h | 1;
    }
}
