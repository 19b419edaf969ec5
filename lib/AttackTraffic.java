// AttackTraffic.java -- the simulator's anomalies: short bursts of one attack kind from one source.
package sentinel;

import java.util.List;
import java.util.SplittableRandom;
import sentinel.SiteModel.Client;
import sentinel.SiteModel.Hit;
import sentinel.TrafficSimulator.Kind;

/**
 * Generates anomalous requests in bursts, as real tools send them: several requests within seconds from one
 * attacker address and tool. Server-side kinds (error bursts, huge responses) hit ordinary visitors instead.
 */
final class AttackTraffic {
    /** Shortest and longest burst per kind, in {@link Kind} order. */
    private static final int[][] BURST = {{4, 12}, {3, 10}, {2, 6}, {3, 8}, {8, 20}, {3, 8}, {1, 2}, {2, 5}};
    private static final Kind[] KINDS = Kind.values();

    private final SplittableRandom rnd;
    private final NormalTraffic visitors;
    private Kind kind;
    private int remaining;
    private String ip;
    private String userAgent;
    private String protocol;
    private String method;
    private String fixedTarget;
    private int mainStatus;

    AttackTraffic(SplittableRandom rnd, NormalTraffic visitors) {
        this.rnd = rnd;
        this.visitors = visitors;
    }

    /** Mean burst length over kinds (each kind starts equally often), to turn a line rate into a burst rate. */
    static double meanBurst() {
        double sum = 0;
        for (int[] b : BURST) sum += (b[0] + b[1]) / 2.0;
        return sum / BURST.length;
    }

    boolean active() {
        return remaining > 0;
    }

    Kind kind() {
        return kind;
    }

    /** Starts a burst of a random kind from a fresh source. */
    void start() {
        kind = KINDS[rnd.nextInt(KINDS.length)];
        int[] b = BURST[kind.ordinal()];
        remaining = b[0] + rnd.nextInt(b[1] - b[0] + 1);
        // 10.0.0.9 probes more than others, so the course's "GET /admin ... 500 50" is a typical PROBE line.
        ip = kind == Kind.PROBE && rnd.nextInt(100) < 40 ? "10.0.0.9" : pick(AttackCatalog.IPS);
        protocol = rnd.nextInt(100) < 15 ? "HTTP/1.0" : SiteModel.HTTP11;
        method = rnd.nextInt(100) < 15 ? "HEAD" : "GET";
        fixedTarget = rnd.nextInt(100) < 70 ? errorTarget() : null;
        mainStatus = List.of(500, 502, 502, 503, 504).get(rnd.nextInt(5));
        userAgent = pick(switch (kind) {
            case PROBE -> AttackCatalog.PROBE_UAS;
            case SQL_INJECTION -> AttackCatalog.SQLI_UAS;
            case XSS -> AttackCatalog.XSS_UAS;
            case PATH_TRAVERSAL -> AttackCatalog.TRAVERSAL_UAS;
            case SCANNER -> AttackCatalog.SCANNER_UAS;
            case ODD_METHOD -> AttackCatalog.ODD_UAS;
            case ERROR_BURST, HUGE_RESPONSE -> AttackCatalog.DOWNLOAD_UAS;
        });
    }

    /** The burst's next request. */
    Hit next() {
        remaining--;
        return switch (kind) {
            case PROBE -> probe();
            case SQL_INJECTION -> injection(AttackCatalog.SQLI_TARGETS, sqlPayload(), 500);
            case XSS -> injection(AttackCatalog.XSS_TARGETS, pick(AttackCatalog.XSS_PAYLOADS), 403);
            case PATH_TRAVERSAL -> traversal();
            case SCANNER -> scanner();
            case ERROR_BURST -> errorBurst();
            case HUGE_RESPONSE -> huge();
            case ODD_METHOD -> oddMethod();
        };
    }

    private Hit probe() {
        String path = rnd.nextInt(100) < 20 ? "/admin" : pick(AttackCatalog.PROBE_PATHS);
        String m = path.endsWith(".php") && rnd.nextInt(100) < 30 ? "POST" : "GET";
        int r = rnd.nextInt(100);
        if (path.startsWith("/admin") || path.startsWith("/manager")) {
            // The app answers its admin routes itself, with short bodies: the course's "500 50" is one of these.
            if (r < 40) return hit(m, path, 500, 40 + rnd.nextInt(25));
            if (r < 70) return hit(m, path, 401, 30 + rnd.nextInt(30));
            return hit(m, path, 403, SiteModel.nginxPage(403));
        }
        if (path.startsWith("/.")) return hit(m, path, r < 70 ? 403 : 404, SiteModel.nginxPage(403));
        return r < 92 ? hit(m, path, 404, SiteModel.APP_404) : hit(m, path, 500, 40 + rnd.nextInt(25));
    }

    /** A payload in a query string; raw spaces make nginx refuse the request line before reading headers. */
    private Hit injection(List<String> targets, String payload, int blockedStatus) {
        String target = pick(targets) + payload;
        if (payload.indexOf(' ') >= 0) {
            return new Hit(ip, "GET", target, protocol, 400, SiteModel.nginxPage(400), SiteModel.NONE, SiteModel.NONE);
        }
        int r = rnd.nextInt(100);
        if (r < 40) return hit("GET", target, 200, 3_000 + rnd.nextInt(6_000));
        if (r < 65) return hit("GET", target, blockedStatus,
                blockedStatus == 500 ? 40 + rnd.nextInt(80) : SiteModel.nginxPage(blockedStatus));
        if (r < 85) return hit("GET", target, 403, SiteModel.nginxPage(403));
        return hit("GET", target, 404, SiteModel.APP_404);
    }

    /** A hand-written payload, or one in sqlmap's style (random numbers and tags, fully url-encoded). */
    private String sqlPayload() {
        if (rnd.nextInt(100) < 55) return pick(AttackCatalog.SQLI_PAYLOADS);
        int n = 1_000 + rnd.nextInt(9_000);
        String tag = letters(4);
        String word = pick(SiteModel.WORDS);
        return switch (rnd.nextInt(4)) {
            case 0 -> word + "%27%20AND%20" + n + "%3D" + n + "%20AND%20%27" + tag + "%27%3D%27" + tag;
            case 1 -> word + "%27%20AND%20" + n + "%3D%28SELECT%20" + n + "%20FROM%20PG_SLEEP%285%29%29--%20" + tag;
            case 2 -> word + "%29%20AND%20SLEEP%285%29%20AND%20%28" + n + "%3D" + n;
            default -> word + "%20UNION%20ALL%20SELECT%20NULL%2CNULL%2CCONCAT%280x71" + n + "%2C0x" + Integer.toHexString(n * 7_919) + "%29--%20" + tag;
        };
    }

    private Hit traversal() {
        String prefix = pick(AttackCatalog.TRAVERSAL_PREFIXES);
        String step = pick(AttackCatalog.TRAVERSAL_STEPS);
        StringBuilder t = new StringBuilder(prefix);
        for (int d = 3 + rnd.nextInt(6); d > 0; d--) t.append(step);
        String target = t.append(pick(AttackCatalog.TRAVERSAL_FILES)).toString();
        // nginx itself rejects a plain "../" that climbs above the root in the path.
        if (step.equals("../") && prefix.indexOf('?') < 0) return hit("GET", target, 400, SiteModel.nginxPage(400));
        int r = rnd.nextInt(100);
        if (r < 60) return hit("GET", target, 404, SiteModel.APP_404);
        if (r < 85) return hit("GET", target, 403, SiteModel.nginxPage(403));
        if (r < 95) return hit("GET", target, 400, SiteModel.nginxPage(400));
        return hit("GET", target, 200, 1_000 + rnd.nextInt(2_500));
    }

    private Hit scanner() {
        int r = rnd.nextInt(100);
        String word = pick(AttackCatalog.SCAN_WORDS);
        String path = r < 70 ? "/" + word : r < 90 ? "/" + word + pick(AttackCatalog.SCAN_EXTENSIONS) : "/" + letters(8);
        String ua = userAgent.equals(AttackCatalog.NIKTO) ? userAgent + String.format("%06d)", rnd.nextInt(8_000)) : userAgent;
        int s = rnd.nextInt(100);
        int status = s < 85 ? 404 : s < 92 ? 403 : 301;
        long bytes = method.equals("HEAD") ? 0 : status == 404 ? SiteModel.APP_404 : SiteModel.nginxPage(status);
        return new Hit(ip, method, path, protocol, status, bytes, SiteModel.NONE, ua);
    }

    /** A backend failing: several visitors in a row get 5xx, mostly on the same URL. */
    private Hit errorBurst() {
        Client c = visitors.someClient(rnd);
        String target = fixedTarget != null ? fixedTarget : errorTarget();
        int status = rnd.nextInt(100) < 75 ? mainStatus : List.of(500, 502, 503, 504).get(rnd.nextInt(4));
        long bytes = status == 500 && target.startsWith("/api/") ? 40 + rnd.nextInt(50) : SiteModel.nginxPage(status);
        String ref = rnd.nextBoolean() ? SiteModel.ORIGIN + "/home" : SiteModel.NONE;
        return new Hit(c.ip(), "GET", target, c.protocol(), status, bytes, ref, c.userAgent());
    }

    private String errorTarget() {
        return switch (rnd.nextInt(8)) {
            case 0 -> "/home";
            case 1 -> "/";
            case 2 -> "/products";
            case 3 -> "/products/" + (SiteModel.FIRST_PRODUCT + rnd.nextInt(SiteModel.PRODUCTS));
            case 4 -> "/api/v1/cart";
            case 5 -> "/api/v1/recommendations";
            case 6 -> "/search?q=" + pick(SiteModel.WORDS);
            default -> "/login";
        };
    }

    /** Tens of megabytes from a page: a dump, a runaway export or exfiltration. */
    private Hit huge() {
        String target = pick(AttackCatalog.HUGE_TARGETS);
        if (target.endsWith("=")) target += pick(SiteModel.WORDS);
        long bytes = 10_000_000L + rnd.nextInt(85_000_000);
        if (rnd.nextInt(100) < 60) {
            Client c = visitors.someClient(rnd);
            return new Hit(c.ip(), "GET", target, c.protocol(), 200, bytes, SiteModel.ORIGIN + "/home", c.userAgent());
        }
        return hit("GET", target, 200, bytes);
    }

    private Hit oddMethod() {
        String m = pick(AttackCatalog.ODD_METHODS);
        String target = rnd.nextInt(100) < 30 ? "/" : errorTarget();
        int r = rnd.nextInt(100);
        if (m.equals("CONNECT")) return hit(m, target, 400, SiteModel.nginxPage(400));
        if (r < 65) return hit(m, target, 405, SiteModel.nginxPage(405));
        if (r < 80) return hit(m, target, 405, 18 + rnd.nextInt(20));
        if (r < 90) return hit(m, target, 403, SiteModel.nginxPage(403));
        return hit(m, target, 501, SiteModel.nginxPage(501));
    }

    private Hit hit(String m, String target, int status, long bytes) {
        return new Hit(ip, m, target, protocol, status, bytes, SiteModel.NONE, userAgent);
    }

    private String pick(List<String> items) {
        return items.get(rnd.nextInt(items.size()));
    }

    private String letters(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) c[i] = (char) ('a' + rnd.nextInt(26));
        return new String(c);
    }
}
