// SiteModel.java -- the simulated shop behind TrafficSimulator: pages, assets, sizes, browsers and visitors.
package sentinel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** The fixed catalogue of the simulated site: what it serves, how big each response is, and who visits it. */
final class SiteModel {
    static final String ORIGIN = "https://example.com";
    static final String HTTP11 = "HTTP/1.1";
    static final String HTTP2 = "HTTP/2.0";
    /** What nginx logs for an absent referrer or user agent. */
    static final String NONE = "-";
    /** Size of the shop's own "page not found" page (pages and API paths; static paths get nginx's page). */
    static final long APP_404 = 564;
    static final int FIRST_PRODUCT = 101;
    static final int PRODUCTS = 40;

    private SiteModel() {}

    /** One request as the server logged it, before formatting; {@link #NONE} marks an absent field. */
    record Hit(String ip, String method, String target, String protocol, int status, long bytes,
               String referrer, String userAgent) {}

    /** A visitor: its address, browser and HTTP version stay the same across visits, as with real clients. */
    record Client(String ip, String userAgent, String protocol, boolean apple) {}

    /** A static file and its (fixed) size. */
    record Asset(String path, long bytes) {}

    /** Weighted choice over indices by cumulative weights: a binary search per draw. */
    static final class Picker {
        private final double[] cumulative;

        Picker(double... weights) {
            cumulative = new double[weights.length];
            double sum = 0;
            for (int i = 0; i < weights.length; i++) cumulative[i] = sum += weights[i];
        }

        /** Zipf-like popularity: rank k (from 0) has weight 1/(k+1)^s. */
        static Picker zipf(int n, double s) {
            double[] w = new double[n];
            // StrictMath: Math.pow may differ by an ulp between JIT and interpreter, which would break reproducibility.
            for (int k = 0; k < n; k++) w[k] = 1 / StrictMath.pow(k + 1, s);
            return new Picker(w);
        }

        int pick(SplittableRandom rnd) {
            double u = rnd.nextDouble() * cumulative[cumulative.length - 1];
            int lo = 0, hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > u) hi = mid; else lo = mid + 1;
            }
            return lo;
        }
    }

    /** Bytes of nginx's built-in error page: the status title appears twice around a fixed 127-byte frame. */
    static long nginxPage(int status) {
        return 127 + 2L * switch (status) {
            case 301 -> "301 Moved Permanently".length();
            case 401 -> "401 Authorization Required".length();
            case 500 -> "500 Internal Server Error".length();
            case 501 -> "501 Not Implemented".length();
            case 503 -> "503 Service Temporarily Unavailable".length();
            case 504 -> "504 Gateway Time-out".length();
            case 400, 405, 502 -> "400 Bad Request".length();
            default -> "404 Not Found".length();
        };
    }

    // Sizes are fixed because the files are.
    static final Asset MAIN_CSS = new Asset("/static/css/main.css", 48_213);
    static final Asset BLOG_CSS = new Asset("/static/css/blog.css", 9_874);
    static final Asset APP_JS = new Asset("/static/js/app.js", 182_455);
    static final Asset VENDOR_JS = new Asset("/static/js/vendor.js", 91_002);
    static final Asset SEARCH_JS = new Asset("/static/js/search.js", 8_317);
    static final Asset LOGO = new Asset("/images/logo.png", 12_402);
    static final Asset HERO = new Asset("/images/hero.jpg", 248_551);
    static final Asset AVATAR = new Asset("/images/avatar-default.png", 3_214);
    static final Asset TEAM = new Asset("/images/team.jpg", 131_870);
    static final Asset FAVICON = new Asset("/favicon.ico", 15_086);
    static final Asset ROBOTS = new Asset("/robots.txt", 131);
    static final Asset SITEMAP = new Asset("/sitemap.xml", 22_190);

    static long productPageBytes(int id) {
        return 8_200 + (id * 7_919L) % 5_800;
    }

    static Asset productImage(int id) {
        return new Asset("/images/products/" + id + ".jpg", 38_000 + (id * 104_729L) % 80_000);
    }

    static Asset productThumb(int id) {
        return new Asset("/images/products/" + id + "-thumb.jpg", 6_000 + (id * 961L) % 7_000);
    }

    static final List<String> BLOG = List.of("spring-collection-2025", "how-to-choose-running-shoes",
            "caring-for-merino-wool", "our-new-warehouse", "packing-list-for-hiking", "behind-the-scenes-design",
            "sustainable-materials", "gift-guide-2025", "repair-dont-replace", "trail-running-basics",
            "layering-for-winter", "meet-the-team", "black-friday-deals", "waterproof-vs-water-resistant",
            "choosing-a-backpack", "customer-stories");
    /** Posts that were removed but are still linked from elsewhere: the usual source of honest 404s. */
    static final List<String> STALE_BLOG = List.of("summer-sale-2023", "old-return-policy", "holiday-hours-2022",
            "beta-launch");
    static final List<String> WORDS = List.of("shoes", "jacket", "backpack", "socks", "rain+jacket", "wool",
            "gift+card", "hoodie", "running+shoes", "tent", "sale", "gloves", "beanie", "hiking+boots", "t-shirt",
            "fleece", "water+bottle", "sleeping+bag", "shorts", "leggings", "cap", "scarf", "trail", "kids",
            "returns", "sizes", "shipping", "black+friday", "merino", "vest");
    static final List<String> CATEGORIES = List.of("men", "women", "kids", "outdoor", "accessories", "sale");

    static long blogBytes(int i) {
        return 9_000 + (i * 3_571L) % 21_000;
    }

    static Asset blogImage(int i) {
        return new Asset("/images/blog/" + BLOG.get(i) + ".jpg", 60_000 + (i * 52_711L) % 140_000);
    }

    static final List<String> BROWSERS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:145.0) Gecko/20100101 Firefox/145.0",
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:144.0) Gecko/20100101 Firefox/144.0",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (iPad; CPU OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/29.0 Chrome/136.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Android 16; Mobile; rv:145.0) Gecko/145.0 Firefox/145.0",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 OPR/123.0.0.0");
    private static final Picker BROWSER_SHARE = new Picker(24, 8, 10, 4, 8, 6, 2, 2, 6, 10, 4, 2, 12, 2, 1, 1);

    static final List<String> GOOGLEBOTS = List.of(
            "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.7444.59 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/142.0.7444.59 Safari/537.36",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
    static final String BINGBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36";
    static final List<String> GOOGLE_NETS = List.of("66.249.66.", "66.249.68.", "66.249.79.");
    static final List<String> BING_NETS = List.of("40.77.167.", "157.55.39.", "207.46.13.");
    static final String UPTIME_ROBOT = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)";
    static final String BLACKBOX = "Blackbox Exporter/0.27.0";
    static final List<String> EXTERNAL_REFERRERS = List.of(NONE, "https://www.google.com/", "https://www.bing.com/",
            "https://duckduckgo.com/", "https://t.co/", "https://www.facebook.com/", "https://www.reddit.com/");
    static final Picker EXTERNAL_SHARE = new Picker(45, 33, 8, 5, 3, 3, 3);

    /** First octets of busy public IPv4 space (no private, loopback, CGNAT, multicast or documentation ranges). */
    private static final int[] PUBLIC_FIRST = {24, 31, 37, 46, 62, 67, 71, 73, 76, 78, 81, 82, 84, 86, 88, 90, 91, 93,
        95, 98, 99, 104, 107, 108, 109, 112, 115, 116, 118, 121, 124, 136, 141, 142, 147, 151, 152, 173, 174, 176, 177,
        178, 179, 181, 186, 187, 188, 189, 190, 191, 194, 195, 196, 197, 200, 201, 213, 217, 220, 223};
    private static final String[] IPV6_PREFIX = {"2a02:", "2a01:", "2600:", "2001:", "2607:", "2a00:"};
    /** Office machines on the company network, at fixed popularity ranks (10.0.0.9 is an attacker's). */
    private static final List<String> OFFICE = List.of("10.0.0.1", "10.0.0.4", "10.0.0.17", "10.0.1.23");
    private static final int[] OFFICE_RANK = {2, 11, 40, 90};

    /** {@code n} visitors in popularity order; none of them uses an address in {@code reserved}. */
    static List<Client> clients(SplittableRandom rnd, int n, Set<String> reserved) {
        Set<String> used = new HashSet<>(reserved);
        List<Client> out = new ArrayList<>(n);
        for (int rank = 0; rank < n; rank++) {
            int office = indexOf(OFFICE_RANK, rank);
            String ip;
            do {
                ip = office >= 0 ? OFFICE.get(office) : rnd.nextInt(100) < 6 ? ipv6(rnd) : ipv4(rnd);
            } while (!used.add(ip));
            String ua = BROWSERS.get(BROWSER_SHARE.pick(rnd));
            boolean apple = ua.contains("iPhone") || ua.contains("iPad");
            out.add(new Client(ip, ua, rnd.nextInt(100) < 25 ? HTTP2 : HTTP11, apple));
        }
        return out;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        return -1;
    }

    static String ipv4(SplittableRandom rnd) {
        return PUBLIC_FIRST[rnd.nextInt(PUBLIC_FIRST.length)] + "." + rnd.nextInt(256) + "." + rnd.nextInt(256)
                + "." + (1 + rnd.nextInt(254));
    }

    static String ipv6(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder(IPV6_PREFIX[rnd.nextInt(IPV6_PREFIX.length)]);
        for (int g = 0; g < 7; g++) {
            if (g > 0) sb.append(':');
            sb.append(Integer.toHexString(g < 3 ? 0x100 + rnd.nextInt(0xff00) : rnd.nextInt(0x10000)));
        }
        return sb.toString();
    }
}
