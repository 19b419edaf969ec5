// LeafGains.java -- per leaf, how much each feature's splits on the way to it narrowed the training sample.
package sentinel;

/**
 * For every leaf of a {@link ForestLayout}, the halvings of the training sample that the splits on its root path
 * did, summed per feature: {@code log2(rows at node / rows at the child taken)} for each split, credited to the
 * split's feature. A row's explanation then needs only the leaf it reaches in each tree, not a second walk that
 * adds at every step (see {@link ForestScorer#pathDepthContributions}). Stored compressed by leaf: the entries of
 * leaf node {@code n} are {@code [start[n], start[n + 1])}, one per feature its path splits on, in the order the
 * path first meets them. Immutable once built.
 */
final class LeafGains {
    /** Entry range by node index (internal nodes have empty ranges). */
    final int[] start;
    final int[] feature;
    final double[] gain;

    LeafGains(ForestLayout layout) {
        int nodes = layout.thresholds.length;
        start = new int[nodes + 1];
        // first pass: entry counts per leaf (distinct features on its path), to size the arrays
        int[] pathFeatures = new int[64];
        double[] pathGains = new double[64];
        int total = 0;
        int[] counts = new int[nodes];
        for (int k = 0; k < layout.roots.length; k++) {
            total += visit(layout, layout.roots[k], 0, pathFeatures, pathGains, counts, null, null, null);
        }
        feature = new int[total];
        gain = new double[total];
        for (int n = 0; n < nodes; n++) start[n + 1] = start[n] + counts[n];
        for (int k = 0; k < layout.roots.length; k++) {
            visit(layout, layout.roots[k], 0, pathFeatures, pathGains, counts, start, feature, gain);
        }
    }

    /**
     * Walks the subtree at {@code node} with the path above it in {@code pathFeatures/pathGains[0, depth)}; without
     * {@code start} counts each leaf's entries into {@code counts} and returns their total, with it writes them.
     */
    private static int visit(ForestLayout layout, int node, int depth, int[] pathFeatures, double[] pathGains, int[] counts,
                             int[] start, int[] feature, double[] gain) {
        if (layout.isLeaf(node)) {
            int n = 0;
            int at = start == null ? 0 : start[node];
            // merge the path's splits by feature, keeping the order each feature first appears
            for (int i = 0; i < depth; i++) {
                int f = pathFeatures[i];
                boolean seen = false;
                for (int j = 0; j < i; j++) seen |= pathFeatures[j] == f;
                if (seen) continue;
                double sum = 0;
                for (int j = i; j < depth; j++) if (pathFeatures[j] == f) sum += pathGains[j];
                if (start != null) {
                    feature[at + n] = f;
                    gain[at + n] = sum;
                }
                n++;
            }
            counts[node] = n;
            return n;
        }
        if (depth == pathFeatures.length) throw SentinelException.badInput("model file holds a tree deeper than 64 levels");
        int low = layout.links[2 * node + 1];
        pathFeatures[depth] = layout.links[2 * node];
        pathGains[depth] = layout.gains[2 * node];
        int total = visit(layout, low, depth + 1, pathFeatures, pathGains, counts, start, feature, gain);
        pathFeatures[depth] = layout.links[2 * node];
        pathGains[depth] = layout.gains[2 * node + 1];
        return total + visit(layout, low + 1, depth + 1, pathFeatures, pathGains, counts, start, feature, gain);
    }

    /** Adds leaf {@code leaf}'s gains to {@code bits}, by feature. */
    void add(int leaf, double[] bits) {
        for (int e = start[leaf], end = start[leaf + 1]; e < end; e++) bits[feature[e]] += gain[e];
    }
}
