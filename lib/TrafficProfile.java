// TrafficProfile.java -- how common each path, site section, request target and user agent was in training, in bounded memory.
package sentinel;

import java.io.Serializable;

/**
 * Frequencies seen in training of paths, site sections (a path's first segment: {@code /docs} for
 * {@code /docs/intro.html}), whole request targets (path and query) and user agents, kept in count-min sketches with
 * conservative update ({@value #DEPTH} rows of {@value #WIDE} counters for paths and targets, {@value #NARROW} for
 * sections and agents: 10 MiB in all whatever the traffic), so "was this ever seen?" costs no vocabulary. Keys compare
 * text lower-cased with digit runs folded to one '0' ({@code /item/17} counts as {@code /item/18}, Chrome/142 as
 * Chrome/131) and are hashed straight from the characters. A count may be over-estimated when keys collide, never
 * under-estimated: with 80,000 distinct paths in training about 0.5% of never-seen paths read as seen, with 200,000
 * about 8%, so a far more varied training set makes rare paths look less rare. Read-only after {@link #add}ing the
 * training lines; thread-safe then.
 */
public final class TrafficProfile implements Serializable {
    /** Counters per row for paths and targets, the kinds with many distinct values. */
    static final int WIDE = 1 << 18;
    /** Counters per row for sections and user agents, of which a site has few. */
    static final int NARROW = 1 << 16;
    static final int DEPTH = 4;
    /** Positions of each kind's key in the array {@link #keys} fills. */
    public static final int PATH = 0, SECTION = 1, TARGET = 2;
    private static final long serialVersionUID = 2L;
    /** FNV-1a's offset basis. */
    private static final long BASIS = 0xcbf29ce484222325L;

    private final int[] paths = new int[WIDE * DEPTH];
    private final int[] sections = new int[NARROW * DEPTH];
    private final int[] targets = new int[WIDE * DEPTH];
    private final int[] agents = new int[NARROW * DEPTH];
    private long lines;

    /** Counts one training line. */
    public void add(AccessRecord r) {
        long[] k = new long[3];
        keys(r.path(), r.query(), k);
        lines++;
        bump(paths, k[PATH]);
        bump(sections, k[SECTION]);
        bump(targets, k[TARGET]);
        bump(agents, agentKey(r.userAgent()));
    }

    public long lines() {
        return lines;
    }

    /** Training count of a path key; {@code leaveOut} subtracts the line's own occurrence (for training lines). */
    public int pathCount(long key, boolean leaveOut) {
        return count(paths, key, leaveOut);
    }

    /** Training count of a section key, likewise. */
    public int sectionCount(long key, boolean leaveOut) {
        return count(sections, key, leaveOut);
    }

    /** Training count of a request-target key, likewise. */
    public int targetCount(long key, boolean leaveOut) {
        return count(targets, key, leaveOut);
    }

    /** Training count of a user-agent key ({@link #agentKey}), likewise. */
    public int agentCount(long key, boolean leaveOut) {
        return count(agents, key, leaveOut);
    }

    /** Rarity in bits: log2((lines + 1) / (count + 1)); 0 for the most common, about log2(lines) for never seen. */
    public double rarity(int count) {
        return Math.log((lines + 1.0) / (count + 1.0)) / Math.log(2);
    }

    /** Writes the keys of a path, its section and the whole target (path, '?', query) into {@code out}, in one pass. */
    public static void keys(String path, String query, long[] out) {
        int cut = path.indexOf('/', 1);
        if (cut < 0) cut = path.length();
        // the cut is at a '/', so hashing in two parts folds digit runs exactly as one pass would
        long h = fold(BASIS, path, 0, cut);
        out[SECTION] = mix(h);
        h = fold(h, path, cut, path.length());
        out[PATH] = mix(h);
        out[TARGET] = query.isEmpty() ? out[PATH] : mix(fold(step(h, '?'), query, 0, query.length()));
    }

    /** Key of a user agent, lower-cased with digit runs (versions) folded. */
    public static long agentKey(String userAgent) {
        return mix(fold(BASIS, userAgent, 0, userAgent.length()));
    }

    /** FNV-1a over {@code s} from {@code from} to {@code to}, lower-cased, each digit run hashed as one '0'. */
    private static long fold(long h, String s, int from, int to) {
        boolean digits = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits) continue;
                digits = true;
                c = '0';
            } else {
                digits = false;
            }
            h = step(h, c);
        }
        return h;
    }

    private static long step(long h, char c) {
        if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
        return (h ^ c) * 0x100000001b3L;
    }

    /** Conservative update: only the counters at the current minimum grow, which keeps collisions' over-counts small. */
    private static void bump(int[] table, long key) {
        int next = count(table, key, false);
        if (next == Integer.MAX_VALUE) return;
        next++;
        int width = table.length / DEPTH, h1 = (int) key, h2 = (int) (key >>> 32) | 1;
        for (int d = 0; d < DEPTH; d++) {
            int idx = d * width + ((h1 + d * h2) & (width - 1));
            if (table[idx] < next) table[idx] = next;
        }
    }

    private static int count(int[] table, long key, boolean leaveOut) {
        int width = table.length / DEPTH, h1 = (int) key, h2 = (int) (key >>> 32) | 1;
        int min = Integer.MAX_VALUE;
        for (int d = 0; d < DEPTH; d++) min = Math.min(min, table[d * width + ((h1 + d * h2) & (width - 1))]);
        return Math.max(0, min - (leaveOut ? 1 : 0));
    }

    /** Murmur3's finaliser: FNV's low bits alone would index the rows poorly. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
