// Featurizer.java -- turns a parsed line into a fixed-width vector of named numbers.
package sentinel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns records into feature vectors in the order of its {@link FeatureSchema}: per-line features (status, size,
 * method, path and query shape, characters attacks use, user agent) and, when the schema asks for them,
 * behavioural features: rarity of the path and user agent against the training {@link TrafficProfile}, and
 * what the same client did in the last seconds ({@link ClientWindow}). Lines must come in log order; the
 * per-client state makes an instance not thread-safe. Training and detection use this one code path.
 */
public final class Featurizer {

    /** Default number of hashed path-token buckets. */
    public static final int DEFAULT_BUCKETS = 8;

    private static final String[] LINE_FEATURES = {
        "status_class", "status_404", "log_bytes", "method", "protocol", "path_depth", "path_length",
        "query_length", "query_params", "special_chars", "percent_encoded", "traversal", "nonalnum_share",
        "ext_class", "sql_tokens", "script_tokens", "target_entropy", "has_referrer"};
    private static final String[] UA_FEATURES = {"ua_length", "ua_family"};
    private static final String[] SQL = {"select", "union", "sleep(", "benchmark(", "information_schema", "1=1", "' or",
        "\" or", " or ", "waitfor", "--", "/*", "concat(", "char(", "@@version", "drop table", "xp_cmdshell"};
    private static final String[] SCRIPT = {"<script", "javascript:", "onerror", "onload", "alert(", "document.cookie",
        "<svg", "<img", "<iframe", "eval(", "prompt("};

    private final FeatureSchema schema;
    private final TrafficProfile profile;
    private final ClientWindow clients;
    private final int lineWidth;

    /** A featurizer with per-line features only (no training profile needed). */
    public Featurizer(int hashBuckets, boolean userAgentFeatures) {
        this(schemaFor(hashBuckets, userAgentFeatures, false), null);
    }

    /**
     * A featurizer reproducing {@code schema} (as saved in a model) with the training {@code profile} (required
     * when the schema has behavioural features); throws SentinelException for a schema this version does not compute.
     */
    public Featurizer(FeatureSchema schema, TrafficProfile profile) {
        if (schema.version() != FeatureSchema.CURRENT_VERSION
                || !schema.equals(schemaFor(schema.hashBuckets(), schema.userAgentFeatures(), schema.behaviourFeatures()))) {
            throw SentinelException.badInput("the model uses feature schema version " + schema.version()
                    + " but this Sentinel computes version " + FeatureSchema.CURRENT_VERSION + ": retrain with ./jbang train.java");
        }
        if (schema.behaviourFeatures() && profile == null) throw new IllegalArgumentException("behavioural features need a TrafficProfile");
        this.schema = schema;
        this.profile = profile;
        this.clients = schema.behaviourFeatures() ? new ClientWindow(ClientWindow.DEFAULT_MAX_CLIENTS) : null;
        this.lineWidth = LINE_FEATURES.length + (schema.userAgentFeatures() ? UA_FEATURES.length : 0) + schema.hashBuckets();
    }

    /** The names and settings of a featurizer's output. */
    public static FeatureSchema schemaFor(int hashBuckets, boolean userAgentFeatures, boolean behaviourFeatures) {
        List<String> names = new ArrayList<>(List.of(LINE_FEATURES));
        if (userAgentFeatures) names.addAll(List.of(UA_FEATURES));
        for (int i = 0; i < hashBuckets; i++) names.add("path_token_" + i);
        if (behaviourFeatures) {
            names.add("path_rarity");
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
        lineFeatures(r, out);
        if (clients == null) return;
        int i = lineWidth;
        int pathCount = profile.pathCount(r, trainingLine);
        out[i++] = profile.rarity(pathCount);
        if (schema.userAgentFeatures()) out[i++] = profile.rarity(profile.agentCount(r, trainingLine));
        int ext = extensionClass(r.path());
        clients.observe(r.ip(), r.epochSecond(), r.status(), ext != 2, methodCode(r.method()), TrafficProfile.pathKey(r.path()).hashCode(),
                pathCount == 0, out, i);
    }

    private void lineFeatures(AccessRecord r, double[] out) {
        String path = r.path();
        String query = r.query();
        int i = 0;
        out[i++] = r.status() / 100;
        out[i++] = r.status() == 404 ? 1 : 0;
        out[i++] = Math.log1p(Math.max(0, r.bytes()));
        out[i++] = methodCode(r.method());
        out[i++] = protocolCode(r.protocol());
        out[i++] = depth(path);
        out[i++] = path.length();
        out[i++] = query.length();
        out[i++] = query.isEmpty() ? 0 : 1 + count(query, '&') + count(query, ';');
        int special = 0, percent = 0, nonAlnum = 0;
        int[] freq = new int[128];
        int other = 0;
        String target = r.target();
        for (int k = 0; k < target.length(); k++) {
            char c = target.charAt(k);
            if (c < 128) freq[c]++; else other++;
            if (!Character.isLetterOrDigit(c)) nonAlnum++;
            switch (c) {
                case '\'', '"', '<', '>', ';', '(', ')', '\\', '`', '{', '}', '|', '$', '*' -> special++;
                case '%' -> { if (k + 2 < target.length() && hex(target.charAt(k + 1)) && hex(target.charAt(k + 2))) percent++; }
                default -> { }
            }
        }
        String decoded = percent > 0 || target.indexOf('+') >= 0 ? decode(target) : target;
        String lower = decoded.toLowerCase(Locale.ROOT);
        out[i++] = special;
        out[i++] = percent;
        out[i++] = occurrences(lower, "..");
        out[i++] = target.isEmpty() ? 0 : (double) nonAlnum / target.length();
        out[i++] = extensionClass(path);
        out[i++] = occurrences(lower, SQL);
        out[i++] = occurrences(lower, SCRIPT);
        out[i++] = entropy(freq, other, target.length());
        out[i++] = r.referrer().isEmpty() ? 0 : 1;
        if (schema.userAgentFeatures()) {
            out[i++] = r.userAgent().length();
            out[i++] = userAgentFamily(r.userAgent());
        }
        int buckets = schema.hashBuckets();
        for (int b = 0; b < buckets; b++) out[i + b] = 0;
        if (buckets > 0) hashTokens(path, out, i, buckets);
    }

    static int methodCode(String m) {
        return switch (m) {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "POST" -> 2;
            case "OPTIONS" -> 3;
            case "PUT" -> 4;
            case "DELETE" -> 5;
            case "PATCH" -> 6;
            default -> m.isEmpty() || !m.chars().allMatch(ch -> ch >= 'A' && ch <= 'Z') ? 8 : 7;
        };
    }

    static int protocolCode(String p) {
        return switch (p) {
            case "HTTP/1.1", "HTTP/2.0", "HTTP/2", "HTTP/3" -> 0;
            case "HTTP/1.0" -> 1;
            case "" -> 2;
            default -> 3;
        };
    }

    static int depth(String path) {
        int d = 0;
        for (int k = 0; k < path.length(); k++) {
            if (path.charAt(k) == '/' && k + 1 < path.length() && path.charAt(k + 1) != '/') d++;
        }
        return d;
    }

    /** 0 no extension, 1 page (.html), 2 static asset, 3 server-side script, 4 any other extension (.env, .bak, .sql ...). */
    static int extensionClass(String path) {
        int slash = path.lastIndexOf('/');
        String last = path.substring(slash + 1);
        int dot = last.lastIndexOf('.');
        if (dot < 0 || dot == last.length() - 1) return 0;
        String ext = last.substring(dot + 1).toLowerCase(Locale.ROOT);
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

    private static double entropy(int[] freq, int other, int n) {
        if (n == 0) return 0;
        double e = 0;
        for (int f : freq) {
            if (f > 0) {
                double p = (double) f / n;
                e -= p * Math.log(p);
            }
        }
        if (other > 0) {
            double p = (double) other / n;
            e -= p * Math.log(p);
        }
        return e / Math.log(2);
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int k = 0; k < s.length(); k++) if (s.charAt(k) == c) n++;
        return n;
    }

    private static int occurrences(String s, String needle) {
        int n = 0;
        for (int at = s.indexOf(needle); at >= 0; at = s.indexOf(needle, at + needle.length())) n++;
        return n;
    }

    private static int occurrences(String s, String[] needles) {
        int n = 0;
        for (String needle : needles) n += occurrences(s, needle);
        return n;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Decodes %XX and '+' once, leniently (bad escapes are kept as they are). */
    static String decode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '%' && k + 2 < s.length() && hex(s.charAt(k + 1)) && hex(s.charAt(k + 2))) {
                sb.append((char) Integer.parseInt(s, k + 1, k + 3, 16));
                k += 2;
            } else {
                sb.append(c == '+' ? ' ' : c);
            }
        }
        return sb.toString();
    }
}
