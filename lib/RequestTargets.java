// RequestTargets.java -- what a request target (path and query) adds to a line's features, computed once per target.
package sentinel;

/**
 * The features a line's request target alone decides (its shape, the attack syntax in it, its extension class)
 * and its training counts, computed once per distinct target and remembered: traffic asks for the same few thousand
 * targets again and again, and each costs an {@link AttackText} scan and three lookups in the training profile's
 * tables (cache misses, 12 MiB of them). The values are exactly those computed afresh. Targets longer than
 * {@value #MAX_CACHED} characters are computed every time and never kept, so memory stays bounded whatever clients
 * send. Not thread-safe: one per {@link Featurizer}.
 */
final class RequestTargets {
    /** Width of the target's part of the line features: path_depth .. target_entropy in Featurizer's order. */
    static final int WIDTH = 16;
    /** Positions in {@link Target#shape} that hold evidence, cleared for targets the training traffic sent often. */
    private static final int[] EVIDENCE = {4, 5, 6, 7, 8, 11, 12, 13, 14};
    private static final int SLOTS = 4096;
    private static final int MAX_CACHED = 512;

    private final TrafficProfile profile;
    private final AttackText text;
    private final long[] keys = new long[3];
    private final Target[] slots = new Target[SLOTS];

    /** {@code profile} may be null (no behavioural features: counts are 0). */
    RequestTargets(TrafficProfile profile, AttackText text) {
        this.profile = profile;
        this.text = text;
    }

    /**
     * One target's features and counts; {@code shape} in Featurizer's order from path_depth to target_entropy.
     * Counts are the training profile's (0 without one), the line itself not left out.
     */
    record Target(String path, String query, double[] shape, int ext, long pathKey, int pathCount, int sectionCount, int targetCount) {

        /** Writes the shape into {@code out} from {@code at}, evidence cleared when {@code familiar}. */
        void write(double[] out, int at, boolean familiar) {
            System.arraycopy(shape, 0, out, at, WIDTH);
            if (familiar) for (int e : EVIDENCE) out[at + e] = 0;
        }
    }

    /** The target of {@code path} and {@code query}, from the cache when it was seen before. */
    Target of(String path, String query) {
        int slot = (31 * path.hashCode() + query.hashCode()) & (SLOTS - 1);
        Target t = slots[slot];
        if (t != null && t.path.equals(path) && t.query.equals(query)) return t;
        t = compute(path, query);
        if (path.length() + query.length() <= MAX_CACHED) slots[slot] = t;
        return t;
    }

    private Target compute(String path, String query) {
        int ext = Featurizer.extensionClass(path);
        AttackText s = text.scan(path, query);
        double[] shape = {s.depth, path.length(), query.length(), s.params, s.special, s.percent, s.escaped, s.control,
            s.traversal, s.length == 0 ? 0 : (double) s.nonAlnum / s.length, ext, s.sql, s.script, s.code, s.urls, s.entropy()};
        if (profile == null) return new Target(path, query, shape, ext, 0, 0, 0, 0);
        TrafficProfile.keys(path, query, keys);
        return new Target(path, query, shape, ext, keys[TrafficProfile.PATH], profile.pathCount(keys[TrafficProfile.PATH], false),
                profile.sectionCount(keys[TrafficProfile.SECTION], false), profile.targetCount(keys[TrafficProfile.TARGET], false));
    }
}
