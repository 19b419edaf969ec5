// Featurizer.java -- turns a parsed line into a fixed-width vector of named numbers.
package sentinel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns records into feature vectors in the order of its {@link FeatureSchema}: per-line features (status, size,
 * method, path and query shape, the syntax attacks use in the request, referrer and user agent) and, when the schema
 * asks for them, behavioural features: rarity of the path, its site section and the user agent against the training
 * {@link TrafficProfile}, and what the same client did in the last seconds ({@link ClientWindow}). Lines must come in
 * log order; the per-client state and scratch buffers make an instance not thread-safe. Training and detection use
 * this one code path.
 */
public final class Featurizer {

    /**
     * Default number of hashed path-token buckets: none, since on real traffic they lowered recall and name nothing a
     * person can read in an explanation; path, section and target rarity carry what they did.
     */
    public static final int DEFAULT_BUCKETS = 0;

    private static final String[] LINE_FEATURES = {
        "status_class", "status_404", "log_bytes", "method", "protocol", "path_depth", "path_length", "query_length",
        "query_params", "special_chars", "percent_encoded", "escaped_bytes", "control_bytes", "traversal", "nonalnum_share",
        "ext_class", "sql_tokens", "script_tokens", "code_tokens", "embedded_url", "target_entropy", "has_referrer",
        "referrer_marks"};
    private static final String[] UA_FEATURES = {"ua_length", "ua_family", "ua_marks"};

    /** Training lines with the same path and query after which a request target's own syntax is no evidence. */
    static final int FAMILIAR = 10;
    /** Longest user agent the cache keeps; browsers' are under 300 characters. */
    private static final int MAX_CACHED_AGENT = 512;

    private final FeatureSchema schema;
    private final TrafficProfile profile;
    private final ClientWindow clients;
    private final AttackText text = new AttackText();
    private final RequestTargets targets;
    private final Agent[] agents = new Agent[256];
    /** Where the client window's features start. */
    private final int clientOffset;
    /** perLine's packed result: the path hash in the low 32 bits, then these flags, then the method code. */
    private static final long NON_STATIC = 1L << 32, NEW_PATH = 1L << 33;
    private static final int METHOD_SHIFT = 34;

    /** A featurizer with per-line features only (no training profile needed). */
    public Featurizer(int hashBuckets, boolean userAgentFeatures) {
        this(schemaFor(hashBuckets, userAgentFeatures, false), null);
    }

    /**
     * A featurizer reproducing {@code schema} (as saved in a model) with the training {@code profile} (required
     * when the schema has behavioural features); throws SentinelException for a schema this version does not compute.
     */
    public Featurizer(FeatureSchema schema, TrafficProfile profile) {
        this(schema, profile, true);
    }

    private Featurizer(FeatureSchema schema, TrafficProfile profile, boolean withClients) {
        if (schema.version() != FeatureSchema.CURRENT_VERSION
                || !schema.equals(schemaFor(schema.hashBuckets(), schema.userAgentFeatures(), schema.behaviourFeatures()))) {
            throw SentinelException.badInput("the model uses feature schema version " + schema.version()
                    + " but this Sentinel computes version " + FeatureSchema.CURRENT_VERSION + ": retrain with ./jbang train.java");
        }
        if (schema.behaviourFeatures() && profile == null) throw new IllegalArgumentException("behavioural features need a TrafficProfile");
        this.schema = schema;
        this.profile = profile;
        this.clients = schema.behaviourFeatures() && withClients ? new ClientWindow(ClientWindow.DEFAULT_MAX_CLIENTS) : null;
        this.targets = new RequestTargets(profile, text);
        this.clientOffset = schema.size() - ClientWindow.FEATURES.length;
    }

    /**
     * A featurizer for another thread's share of the work: the same schema and profile, its own scratch buffers and
     * agent cache, and no client window, so it runs {@link #perLine} only (see {@link BatchPipeline}).
     */
    Featurizer forWorker() {
        return new Featurizer(schema, profile, false);
    }

    /** The names and settings of a featurizer's output. */
    public static FeatureSchema schemaFor(int hashBuckets, boolean userAgentFeatures, boolean behaviourFeatures) {
        List<String> names = new ArrayList<>(List.of(LINE_FEATURES));
        if (userAgentFeatures) names.addAll(List.of(UA_FEATURES));
        for (int i = 0; i < hashBuckets; i++) names.add("path_token_" + i);
        if (behaviourFeatures) {
            names.add("path_rarity");
            names.add("section_rarity");
            if (userAgentFeatures) names.add("ua_rarity");
            names.addAll(List.of(ClientWindow.FEATURES));
        }
        return new FeatureSchema(FeatureSchema.CURRENT_VERSION, names.toArray(String[]::new), hashBuckets, userAgentFeatures,
                behaviourFeatures);
    }

    /** The per-client state, for callers that must forget clients (Kafka partition moves). Null without behavioural features. */
    public ClientWindow clients() {
        return clients;
    }

    public FeatureSchema schema() {
        return schema;
    }

    /** A new vector for {@code r} (a line being judged, not one of the training lines). */
    public double[] featurize(AccessRecord r) {
        double[] out = new double[schema.size()];
        featurize(r, out, false);
        return out;
    }

    /**
     * Writes the features of {@code r} into {@code out} (length {@link FeatureSchema#size()}). {@code trainingLine}
     * says {@code r} is itself counted in the profile, so rarity leaves its own occurrence out: a path seen once in
     * training then looks exactly as rare as a never-seen path does at detection time.
     */
    public void featurize(AccessRecord r, double[] out, boolean trainingLine) {
        long pending = perLine(r, out, trainingLine);
        if (clients != null) perClient(r, pending, out);
    }

    /*
     * featurize() in two parts, so a batch can spread the costly first over threads: perLine depends on the line and
     * the read-only profile alone; perClient feeds the client window and must see the lines in log order.
     */

    /**
     * Every feature but the client window's, into {@code out}; returns what {@link #perClient} needs, packed. Uses
     * this instance's scratch buffers: one instance per thread ({@link #forWorker}).
     */
    long perLine(AccessRecord r, double[] out, boolean trainingLine) {
        RequestTargets.Target target = targets.of(r.path(), r.query());
        int method = methodCode(r.method());
        Agent agent = schema.userAgentFeatures() ? agent(r.userAgent()) : null;
        boolean familiar = profile != null && TrafficProfile.leavingOut(target.targetCount(), trainingLine) >= FAMILIAR;
        int i = lineFeatures(r, target, method, familiar, agent, out);
        if (!schema.behaviourFeatures()) return 0;
        long pathKey = target.pathKey();
        int pathCount = TrafficProfile.leavingOut(target.pathCount(), trainingLine);
        out[i++] = profile.rarity(pathCount);
        out[i++] = profile.rarity(TrafficProfile.leavingOut(target.sectionCount(), trainingLine));
        if (agent != null) out[i++] = profile.rarity(TrafficProfile.leavingOut(agent.count, trainingLine));
        int pathHash = (int) (pathKey ^ (pathKey >>> 32));
        return (pathHash & 0xffffffffL) | (target.ext() != 2 ? NON_STATIC : 0) | (pathCount == 0 ? NEW_PATH : 0) | (long) method << METHOD_SHIFT;
    }

    /** The client window's features of {@code r}, after {@link #perLine} returned {@code pending} for it; in log order. */
    void perClient(AccessRecord r, long pending, double[] out) {
        clients.observe(r.ip(), r.epochSecond(), r.status(), (pending & NON_STATIC) != 0, (int) (pending >>> METHOD_SHIFT),
                (int) pending, (pending & NEW_PATH) != 0, out, clientOffset);
    }

    /** Writes the per-line features; returns the index after them. */
    private int lineFeatures(AccessRecord r, RequestTargets.Target target, int method, boolean familiar, Agent agent, double[] out) {
        int i = 0;
        out[i++] = r.status() / 100;
        out[i++] = r.status() == 404 ? 1 : 0;
        out[i++] = Math.log(1.0 + Math.max(0, r.bytes())); // log1p to within an ulp, without Java 17's native call
        out[i++] = method;
        out[i++] = protocolCode(r.protocol());
        // syntax that normal traffic sent to this very target again and again is the site's own, not an attack's
        target.write(out, i, familiar);
        i += RequestTargets.WIDTH;
        out[i++] = r.referrer().isEmpty() ? 0 : 1;
        out[i++] = text.marks(r.referrer());
        if (agent != null) {
            out[i++] = r.userAgent().length();
            out[i++] = agent.family;
            out[i++] = agent.marks;
        }
        int buckets = schema.hashBuckets();
        for (int b = 0; b < buckets; b++) out[i + b] = 0;
        if (buckets > 0) hashTokens(r.path(), out, i, buckets);
        return i + buckets;
    }

    /**
     * What a user agent's text says, cached: a handful of agents make most traffic, and each costs a scan. Agents
     * longer than any browser's are not kept, so the cache stays small whatever clients send.
     */
    private Agent agent(String ua) {
        // every 7th character is enough to spread agents over the slots; equals() below decides
        int slot = ua.length();
        for (int k = 0; k < ua.length(); k += 7) slot = 31 * slot + ua.charAt(k);
        slot &= agents.length - 1;
        Agent a = agents[slot];
        if (a == null || !a.text.equals(ua)) {
            a = new Agent(ua, profile == null ? 0 : profile.agentCount(TrafficProfile.agentKey(ua), false), userAgentFamily(ua), text.marks(ua));
            if (ua.length() <= MAX_CACHED_AGENT) agents[slot] = a;
        }
        return a;
    }

    /** A user agent with its training count (the line itself not left out), family and attack marks. */
    private record Agent(String text, int count, int family, int marks) {}

    static int methodCode(String m) {
        return switch (m) {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "POST" -> 2;
            case "OPTIONS" -> 3;
            case "PUT" -> 4;
            case "DELETE" -> 5;
            case "PATCH" -> 6;
            default -> m.isEmpty() || !upperLetters(m) ? 8 : 7;
        };
    }

    private static boolean upperLetters(String m) {
        for (int k = 0; k < m.length(); k++) if (m.charAt(k) < 'A' || m.charAt(k) > 'Z') return false;
        return true;
    }

    static int protocolCode(String p) {
        return switch (p) {
            case "HTTP/1.1", "HTTP/2.0", "HTTP/2", "HTTP/3" -> 0;
            case "HTTP/1.0" -> 1;
            case "" -> 2;
            default -> 3;
        };
    }

    /** 0 no extension, 1 page (.html), 2 static asset, 3 server-side script, 4 any other extension (.env, .bak, .sql ...). */
    static int extensionClass(String path) {
        int dot = -1;
        // backwards through the last segment only
        for (int k = path.length() - 1; k >= 0 && path.charAt(k) != '/'; k--) if (dot < 0 && path.charAt(k) == '.') dot = k;
        if (dot < 0 || dot == path.length() - 1) return 0;
        String ext = path.substring(dot + 1);
        int c = extensionClassOf(ext);
        return c == 4 ? extensionClassOf(ext.toLowerCase(Locale.ROOT)) : c;
    }

    private static int extensionClassOf(String ext) {
        return switch (ext) {
            case "html", "htm", "xhtml" -> 1;
            case "css", "js", "mjs", "png", "jpg", "jpeg", "gif", "svg", "ico", "webp", "avif", "woff", "woff2", "ttf",
                 "eot", "otf", "map", "mp4", "webm", "mp3", "pdf", "txt", "xml", "json", "webmanifest", "csv" -> 2;
            case "php", "asp", "aspx", "jsp", "cgi", "pl", "py", "sh", "exe", "dll", "do", "action", "cfm" -> 3;
            default -> 4;
        };
    }

    /** 0 browser, 1 bot or monitor, 2 generic HTTP client or library, 3 empty, 4 anything else. */
    static int userAgentFamily(String ua) {
        if (ua.isEmpty()) return 3;
        String l = ua.toLowerCase(Locale.ROOT);
        if (l.contains("bot") || l.contains("crawl") || l.contains("spider") || l.contains("slurp") || l.contains("monitor")
                || l.contains("uptime") || l.contains("exporter") || l.contains("checker") || l.contains("preview")) return 1;
        if (l.startsWith("curl/") || l.startsWith("wget/") || l.startsWith("python") || l.startsWith("go-http-client")
                || l.startsWith("java/") || l.startsWith("okhttp") || l.startsWith("libwww") || l.startsWith("apache-httpclient")
                || l.startsWith("axios") || l.startsWith("node-fetch") || l.startsWith("httpie") || l.startsWith("aiohttp")) return 2;
        if (l.startsWith("mozilla/") || l.startsWith("opera/")) return 0;
        return 4;
    }

    private static void hashTokens(String path, double[] out, int offset, int buckets) {
        int h = 0x811c9dc5;
        boolean inToken = false;
        for (int k = 0; k <= path.length(); k++) {
            char c = k < path.length() ? Character.toLowerCase(path.charAt(k)) : '/';
            if (c == '/' || c == '.' || c == '-' || c == '_') {
                if (inToken) out[offset + Math.floorMod(h, buckets)]++;
                h = 0x811c9dc5;
                inToken = false;
            } else {
                // digit runs become one symbol so /products/12 and /products/13 share a token
                if (c >= '0' && c <= '9') {
                    if (k > 0 && Character.isDigit(path.charAt(k - 1))) continue;
                    c = '0';
                }
                h = (h ^ c) * 0x01000193;
                inToken = true;
            }
        }
    }

}
