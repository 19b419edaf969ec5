// TrafficProfile.java -- how common each path, site section, request target and user agent was in training, in bounded memory.
package sentinel;

/**
 * Frequencies seen in training of paths, site sections (a path's first segment: {@code /docs} for
 * {@code /docs/intro.html}), whole request targets (path and query) and user agents, kept in count-min sketches with
 * conservative update ({@value #DEPTH} rows of {@value #WIDE} counters for paths and targets, {@value #NARROW} for
 * sections and agents: 10 MiB in all whatever the traffic; a loaded profile keeps only its non-zero counters, see
 * {@link Counts}), so "was this ever seen?" costs no vocabulary. Keys compare text lower-cased with digit runs folded
 * to one '0' ({@code /item/17} counts as {@code /item/18}, Chrome/142 as Chrome/131) and are hashed straight from
 * the characters. A count may be over-estimated when keys collide, never under-estimated: with 80,000 distinct paths
 * in training about 0.5% of never-seen paths read as seen, with 200,000 about 8%, so a far more varied training set
 * makes rare paths look less rare. Read-only after {@link #add}ing the training lines; thread-safe then.
 */
public final class TrafficProfile {
    /** Counters per row for paths and targets, the kinds with many distinct values. */
    static final int WIDE = 1 << 18;
    /** Counters per row for sections and user agents, of which a site has few. */
    static final int NARROW = 1 << 16;
    static final int DEPTH = 4;
    /** Positions of each kind's key in the array {@link #keys} fills. */
    public static final int PATH = 0, SECTION = 1, TARGET = 2;
    /** FNV-1a's offset basis. */
    private static final long BASIS = 0xcbf29ce484222325L;

    private final Counts paths;
    private final Counts sections;
    private final Counts targets;
    private final Counts agents;
    private long lines;

    /** An empty profile, to {@link #add} training lines to. */
    public TrafficProfile() {
        this(0, new Counts[] {new Counts(WIDE * DEPTH), new Counts(NARROW * DEPTH), new Counts(WIDE * DEPTH),
                new Counts(NARROW * DEPTH)});
    }

    /** A profile of {@code lines} lines with these tables, in {@link #tables}' order and sizes: a loaded profile. */
    TrafficProfile(long lines, Counts[] tables) {
        int[] lengths = tableLengths();
        for (int t = 0; t < lengths.length; t++) {
            if (tables.length != lengths.length || tables[t].length != lengths[t]) {
                throw new IllegalArgumentException("count tables of the wrong number or sizes");
            }
        }
        this.lines = lines;
        paths = tables[0];
        sections = tables[1];
        targets = tables[2];
        agents = tables[3];
    }

    /** The sizes of the count tables, in {@link #tables}' order. */
    static int[] tableLengths() {
        return new int[] {WIDE * DEPTH, NARROW * DEPTH, WIDE * DEPTH, NARROW * DEPTH};
    }

    /** The count tables (paths, sections, targets, agents), for saving and comparing. */
    Counts[] tables() {
        return new Counts[] {paths, sections, targets, agents};
    }

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
    private static void bump(Counts table, long key) {
        int next = count(table, key, false);
        if (next == Integer.MAX_VALUE) return;
        next++;
        int width = table.length / DEPTH, h1 = (int) key, h2 = (int) (key >>> 32) | 1;
        for (int d = 0; d < DEPTH; d++) {
            table.raise(d * width + ((h1 + d * h2) & (width - 1)), next);
        }
    }

    private static int count(Counts table, long key, boolean leaveOut) {
        int width = table.length / DEPTH, h1 = (int) key, h2 = (int) (key >>> 32) | 1;
        int min = Integer.MAX_VALUE;
        for (int d = 0; d < DEPTH; d++) min = Math.min(min, table.get(d * width + ((h1 + d * h2) & (width - 1))));
        return leavingOut(min, leaveOut);
    }

    /** A training count with the line's own occurrence taken out when {@code leaveOut} (it is a training line). */
    static int leavingOut(int count, boolean leaveOut) {
        return leaveOut ? Math.max(0, count - 1) : count;
    }

    /** Murmur3's finaliser: FNV's low bits alone would index the rows poorly. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    /**
     * One count-min table of {@code length} counters. Training fills a plain array. A loaded table with few counters
     * set (the usual case: of 10 MiB of counters, a few thousand are set) keeps only those, in an open-addressing hash
     * table. Why: fresh memory costs a page fault per 4 KiB, about 27 ms for the full 10 MiB on a small VM, most of a
     * model load; and a few KiB of counters stay in cache while judging. Both forms give the same count for every index.
     */
    static final class Counts {
        final int length;
        /** The counters, or null when sparse. */
        private final int[] dense;
        /** Sparse: slot s holds a counter's index + 1 at 2s (0 = free) and its count at 2s + 1. */
        private final int[] cells;
        private final int mask;
        private final int shift;

        /** A zeroed table for training. */
        Counts(int length) {
            this(length, new int[length], null, 0);
        }

        private Counts(int length, int[] dense, int[] cells, int slots) {
            this.length = length;
            this.dense = dense;
            this.cells = cells;
            this.mask = slots - 1;
            this.shift = Integer.numberOfLeadingZeros(Math.max(mask, 1));
        }

        /**
         * A table whose counters {@code indices[i]} (distinct, below length) hold {@code values[i]} for i &lt; n, the
         * rest 0: sparse when at most an eighth are set (its hash table then takes at most half the array's memory).
         */
        static Counts of(int length, int[] indices, int[] values, int n) {
            if (n > length / 8) {
                int[] dense = new int[length];
                for (int i = 0; i < n; i++) {
                    dense[indices[i]] = values[i];
                }
                return new Counts(length, dense, null, 0);
            }
            int slots = Math.max(16, Integer.highestOneBit(Math.max(1, 2 * n - 1)) << 1); // a power of two >= 2n: half free
            Counts c = new Counts(length, null, new int[2 * slots], slots);
            for (int i = 0; i < n; i++) {
                int s = c.slot(indices[i]);
                while (c.cells[2 * s] != 0) {
                    s = (s + 1) & c.mask;
                }
                c.cells[2 * s] = indices[i] + 1;
                c.cells[2 * s + 1] = values[i];
            }
            return c;
        }

        /** Fibonacci hashing: the top bits of index * 2^32/phi spread runs of neighbouring indices. */
        private int slot(int index) {
            return (index * 0x9E3779B9) >>> shift;
        }

        int get(int index) {
            if (dense != null) {
                return dense[index];
            }
            for (int s = slot(index); ; s = (s + 1) & mask) {
                int k = cells[2 * s];
                if (k == index + 1) return cells[2 * s + 1];
                if (k == 0) return 0;
            }
        }

        /** Raises counter {@code index} to at least {@code value}; only while training (a loaded table is read-only). */
        void raise(int index, int value) {
            if (dense == null) {
                throw new IllegalStateException("a loaded traffic profile is read-only");
            }
            if (dense[index] < value) dense[index] = value;
        }

        /** All counters as an array (the table's own when dense: do not change it). */
        int[] toArray() {
            if (dense != null) {
                return dense;
            }
            int[] out = new int[length];
            for (int s = 0; s <= mask; s++) {
                if (cells[2 * s] != 0) out[cells[2 * s] - 1] = cells[2 * s + 1];
            }
            return out;
        }
    }
}
