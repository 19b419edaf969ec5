// ClientWindow.java -- what each client did recently: bounded, decaying per-client counters for behavioural features.
package sentinel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-client behaviour over the last seconds, on the log's own clock (so training, replay and live
 * detection compute the same numbers). Counters decay exponentially (time constants 10 s and 60 s) instead
 * of keeping every event, and each client keeps at most {@value #PATH_SLOTS} recent distinct paths:
 * about 400 bytes per client. At most {@code maxClients} clients are kept (least recently seen are
 * forgotten first), so memory is bounded whatever the traffic: 65,536 clients ≈ 30 MiB. Not thread-safe.
 */
public final class ClientWindow {
    /** Feature names this stage adds, in order. */
    public static final String[] FEATURES = {"client_rate_10s", "client_rate_60s", "client_paths_60s", "client_4xx_share",
        "client_404_share", "client_nonstatic_share", "client_methods_60s", "client_new_path_share"};
    public static final int DEFAULT_MAX_CLIENTS = 65_536;
    static final int PATH_SLOTS = 32;
    private static final double SHORT = 10, LONG = 60;

    private final Map<String, State> clients;

    public ClientWindow(int maxClients) {
        this.clients = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** Number of clients currently remembered. */
    public int size() {
        return clients.size();
    }

    /** Forgets one client (e.g. when its Kafka partition moves to another detector). */
    public void forget(String client) {
        clients.remove(client);
    }

    /** Forgets every client. */
    public void clear() {
        clients.clear();
    }

    /**
     * Records one request and writes this client's {@link #FEATURES} (including the request itself) into
     * {@code out} from {@code offset}. {@code time} is epoch seconds (-1: unknown, treated as "same moment").
     */
    public void observe(String client, long time, int status, boolean nonStatic, int method, int pathHash, boolean newPath,
                        double[] out, int offset) {
        State s = clients.computeIfAbsent(client, k -> new State());
        if (time < 0) time = s.last < 0 ? 0 : s.last;
        if (s.last >= 0 && time > s.last) {
            double dt = time - s.last;
            double fast = Math.exp(-dt / SHORT), slow = Math.exp(-dt / LONG);
            s.r10 *= fast;
            s.r60 *= slow;
            s.e4xx *= slow;
            s.e404 *= slow;
            s.eNonStatic *= slow;
            s.eNew *= slow;
        }
        if (time > s.last) s.last = time;
        s.r10 += 1;
        s.r60 += 1;
        if (status >= 400 && status < 500) s.e4xx += 1;
        if (status == 404) s.e404 += 1;
        if (nonStatic) s.eNonStatic += 1;
        if (newPath) s.eNew += 1;
        s.methodSeen[Math.min(method, s.methodSeen.length - 1)] = s.last;
        s.remember(pathHash, s.last);
        int i = offset;
        out[i++] = s.r10;
        out[i++] = s.r60;
        out[i++] = s.distinctPaths(s.last - (long) LONG);
        out[i++] = s.e4xx / s.r60;
        out[i++] = s.e404 / s.r60;
        out[i++] = s.eNonStatic / s.r60;
        int methods = 0;
        for (long seen : s.methodSeen) if (seen >= 0 && seen >= s.last - (long) LONG) methods++;
        out[i++] = methods;
        out[i] = s.eNew / s.r60;
    }

    /** One client's decaying counters. */
    private static final class State {
        long last = -1;
        double r10, r60, e4xx, e404, eNonStatic, eNew;
        final long[] methodSeen = {-1, -1, -1, -1, -1, -1, -1, -1, -1};
        final int[] pathHashes = new int[PATH_SLOTS];
        final long[] pathSeen = new long[PATH_SLOTS];
        int used;

        void remember(int hash, long time) {
            int oldest = 0;
            for (int k = 0; k < used; k++) {
                if (pathHashes[k] == hash) {
                    pathSeen[k] = time;
                    return;
                }
                if (pathSeen[k] < pathSeen[oldest]) oldest = k;
            }
            int slot = used < PATH_SLOTS ? used++ : oldest;
            pathHashes[slot] = hash;
            pathSeen[slot] = time;
        }

        int distinctPaths(long since) {
            int n = 0;
            for (int k = 0; k < used; k++) if (pathSeen[k] >= since) n++;
            return n;
        }
    }
}
