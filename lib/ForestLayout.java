// ForestLayout.java -- lays a forest's flat trees out in a few compact arrays, once, for fast scoring.
package sentinel;

/**
 * A {@link TrainedForest} laid out for scoring. Node {@code n} tests original feature {@code f = links[2n]} and goes to
 * {@code links[2n+1]} when {@code x[f] < thresholds[n]}, otherwise to the node just after it. A leaf points to
 * itself ({@code links[2n+1] == n}, threshold +infinity, feature 0), so every walk can take exactly
 * {@code heights[k]} steps with no exit test: the steps of several trees or rows then overlap in the CPU
 * instead of waiting on mispredicted branches. A leaf's path length (Smile's adjusted depth) is
 * {@code depths[n]}. The nodes of one tree are contiguous from {@code roots[k]}, so a tree stays in cache and a
 * per-tree early stop can be added.
 *
 * <p>Built from {@link TrainedForest}'s flat trees, whose splits are already exact "x[f] &lt; threshold" tests, in
 * the same order whether the forest was just trained or loaded: the arrays, and so the scores, are identical.
 */
final class ForestLayout {
    final int[] roots;
    final int[] heights;
    final int[] links;
    final double[] thresholds;
    final double[] depths;
    /** log2 of the (estimated) training rows that reached each node; only explanations read it. */
    final double[] log2Rows;
    /** Per tree, bounds on its training rows recovered from its leaves (a leaf of 0 and of 1 row look alike). */
    final int[] rowsAtLeast;
    final int[] rowsAtMost;
    /**
     * The same nodes packed for the scorer: node n is {@code packed[2n]} = the threshold's bits and
     * {@code packed[2n+1]} = feature &lt;&lt; 32 | low child, so one step reads one 16-byte pair (one cache line)
     * instead of three arrays.
     */
    final long[] packed;
    /**
     * For explanations: {@code gains[2n + d]} = log2Rows[n] - log2Rows[child], the child being n's low child for
     * d = 0 and its high child for d = 1 (0 for leaves, which only ever step to themselves).
     */
    final double[] gains;
    /** Per tree, the shortest path length (adjusted depth) any of its leaves gives: the floor for early stopping. */
    final double[] minDepths;

    private final int sampleSize;
    /**
     * c(n) and log2(n) for n up to the sample size, so recovering leaf rows and their logarithms costs lookups, not
     * logarithms. Why: a model is laid out once per process, mostly in the interpreter, where each call costs.
     */
    private final double[] pathLengths;
    private final double[] log2;

    private ForestLayout(TrainedForest forest) {
        int[] starts = forest.starts();
        int trees = starts.length - 1;
        int total = starts[trees];
        sampleSize = forest.sampleSize();
        pathLengths = new double[Math.min(sampleSize, 1 << 16) + 2];
        log2 = new double[pathLengths.length];
        for (int n = 1; n < pathLengths.length; n++) {
            pathLengths[n] = n < 2 ? 0 : TrainedForest.averagePathLength(n);
            log2[n] = log2(n);
        }
        roots = new int[trees];
        heights = new int[trees];
        links = new int[2 * total];
        thresholds = new double[total];
        depths = new double[total];
        log2Rows = new double[total];
        rowsAtLeast = new int[trees];
        rowsAtMost = new int[trees];
        minDepths = new double[trees];
        int largest = 0;
        for (int k = 0; k < trees; k++) {
            largest = Math.max(largest, starts[k + 1] - starts[k]);
        }
        Scratch scratch = new Scratch(largest, forest.features());
        for (int k = 0; k < trees; k++) {
            scratch.allow(forest.columns()[k], k);
            fill(forest, k, scratch);
        }
        packed = new long[2 * total];
        gains = new double[2 * total];
        int[] links = this.links;
        double[] log2Rows = this.log2Rows;
        for (int n = 0; n < total; n++) {
            int lo = links[2 * n + 1];
            packed[2 * n] = Double.doubleToRawLongBits(thresholds[n]);
            packed[2 * n + 1] = ((long) links[2 * n] << 32) | lo;
            if (lo != n) {
                gains[2 * n] = log2Rows[n] - log2Rows[lo];
                gains[2 * n + 1] = log2Rows[n] - log2Rows[lo + 1];
            }
        }
    }

    /** Lays out the trees of {@code forest}, checking every node; throws SentinelException.badInput for a malformed tree. */
    static ForestLayout of(TrainedForest forest) {
        return new ForestLayout(forest);
    }

    boolean isLeaf(int node) {
        return links[2 * node + 1] == node;
    }

    /** Work arrays shared by all trees: slots waiting for their node, their depths, rows per slot, allowed features. */
    private static final class Scratch {
        final int[] slots;
        final int[] slotDepths;
        final double[] rows;
        /** owner[f] == k when tree k may split on feature f (f is in its column map). */
        final int[] owner;

        Scratch(int largestTree, int features) {
            slots = new int[largestTree + 1];
            slotDepths = new int[largestTree + 1];
            rows = new double[largestTree];
            owner = new int[features];
            java.util.Arrays.fill(owner, -1);
        }

        void allow(int[] columns, int tree) {
            for (int c : columns) {
                owner[c] = tree;
            }
        }
    }

    /**
     * Lays out tree {@code k} from its preorder nodes. Slots are handed out as Smile's trees were walked before:
     * the root first, then both children of a split side by side (low, high) when the split is placed, so the
     * arrays (and the scores) are identical whether a forest was just trained or loaded. A stack of slots waiting
     * for their node catches a tree with nodes missing or left over.
     */
    private void fill(TrainedForest forest, int k, Scratch s) {
        // locals, not fields, in the loops: this runs once per process, mostly in the interpreter
        int[] feature = forest.nodeFeatures();
        double[] value = forest.nodeValues();
        int[] slots = s.slots, slotDepths = s.slotDepths, owner = s.owner, links = this.links;
        double[] rowsAt = s.rows, thresholds = this.thresholds, depths = this.depths, log2Rows = this.log2Rows;
        int root = forest.starts()[k];
        int end = forest.starts()[k + 1];
        int maxHeight = 32 - Integer.numberOfLeadingZeros(sampleSize - 1); // ForestTrainer's limit, ceil(log2 n)
        double maxAdjustment = pathLength(sampleSize) + 1e-9;
        int atLeast = 0, atMost = 0, height = 0;
        double minDepth = Double.POSITIVE_INFINITY;
        int next = root + 1;
        int top = 0;
        slots[top] = root;
        slotDepths[top++] = 0;
        for (int n = root; n < end; n++) {
            if (top == 0) {
                throw SentinelException.badInput("tree " + k + " has nodes after its last leaf");
            }
            int at = slots[--top];
            int depth = slotDepths[top];
            int f = feature[n];
            double v = value[n];
            if (f < 0) {
                if (f != -1 || !(v >= depth && v - depth <= maxAdjustment)) {
                    throw SentinelException.badInput("tree " + k + " has a leaf at depth " + depth + " with path length " + v);
                }
                int rows = leafRows(v - depth);
                int counted = Math.max(rows, 1);
                atLeast += rows;
                atMost += counted;
                height = Math.max(height, depth);
                minDepth = Math.min(minDepth, v);
                links[2 * at + 1] = at;
                thresholds[at] = Double.POSITIVE_INFINITY;
                depths[at] = v;
                rowsAt[at - root] = counted;
                log2Rows[at] = log2Rows(counted);
                continue;
            }
            if (f >= owner.length || owner[f] != k || Double.isNaN(v)) {
                throw SentinelException.badInput("tree " + k + " has a split on feature " + f + " at " + v
                        + " (its columns: " + forest.columns()[k].length + ", features: " + owner.length + ")");
            }
            if (depth + 1 > maxHeight || next + 2 > end) {
                throw SentinelException.badInput("tree " + k + " is deeper or larger than " + sampleSize + "-row samples allow");
            }
            links[2 * at] = f;
            links[2 * at + 1] = next;
            thresholds[at] = v;
            slots[top] = next + 1; // the high child waits below the low one: preorder lists the low subtree first
            slotDepths[top++] = depth + 1;
            slots[top] = next;
            slotDepths[top++] = depth + 1;
            next += 2;
        }
        if (top != 0) {
            throw SentinelException.badInput("tree " + k + " ends before its last leaf");
        }
        roots[k] = root;
        rowsAtLeast[k] = atLeast;
        rowsAtMost[k] = atMost;
        heights[k] = height;
        minDepths[k] = minDepth;
        // Children sit after their parent, so one backward pass sums rows bottom-up, low child + high child as before.
        for (int at = end - 1; at >= root; at--) {
            int lo = links[2 * at + 1];
            if (lo != at) {
                double rows = rowsAt[lo - root] + rowsAt[lo + 1 - root];
                rowsAt[at - root] = rows;
                log2Rows[at] = log2Rows(rows);
            }
        }
    }

    /** log2 of a row count, the same expression as ever (explanations stay bit-identical), from the table if it has it. */
    private double log2Rows(double rows) {
        return rows < log2.length ? log2[(int) rows] : log2(rows);
    }

    private static double log2(double rows) {
        return Math.log(rows) / Math.log(2);
    }

    /** c(n), from the table when it holds n. */
    private double pathLength(int n) {
        return n < pathLengths.length ? pathLengths[n] : TrainedForest.averagePathLength(n);
    }

    /**
     * Rows in a leaf whose depth Smile raised by c(rows); 0 means "0 or 1" (Smile adds nothing for those). The n
     * in [2, sampleSize] whose c(n) is nearest: the first n below sampleSize at which c(n+1) stops being nearer than
     * c(n) (that test only turns from false to true as n grows), else sampleSize. Most leaves hold a few rows, so
     * the first few n are tried in turn, then the rest is bisected: the same answer as bisecting it all.
     */
    private int leafRows(double adjustment) {
        if (adjustment == 0) {
            return 0;
        }
        int lo = 2;
        for (; lo < Math.min(sampleSize, 8); lo++) {
            if (!(pathLength(lo + 1) - adjustment < adjustment - pathLength(lo))) {
                return lo;
            }
        }
        int hi = sampleSize;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            double below = adjustment - pathLength(mid);
            double above = pathLength(mid + 1) - adjustment;
            if (above < below) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
