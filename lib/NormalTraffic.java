// NormalTraffic.java -- the simulator's honest visitors: browsing sessions, crawlers and uptime monitors.
package sentinel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import sentinel.SiteModel.Asset;
import sentinel.SiteModel.Client;
import sentinel.SiteModel.Hit;
import sentinel.SiteModel.Picker;

/**
 * Interleaved visits to the simulated site. A browser visit requests a page, then that page's assets and API
 * calls, "thinks" for a while, and moves on; crawlers read robots.txt and pages; monitors poll one URL.
 */
final class NormalTraffic {
    private static final int CLIENTS = 320;
    private static final double MEAN_THINK_STEPS = 180;

    private enum Page { HOME, LANDING, PRODUCT, PRODUCTS, BLOG_POST, SEARCH, LOGIN, ABOUT, BLOG_INDEX, CART, CONTACT, FAQ }

    private static final Page[] PAGES = Page.values();
    /** Popularity of pages, falling roughly as 1/rank (Zipf-like), /home first. */
    private static final Picker PAGE_SHARE = new Picker(22, 14, 16, 9, 10, 7, 5, 4, 4, 4, 3, 2);
    private static final Picker PRODUCT_SHARE = Picker.zipf(SiteModel.PRODUCTS, 1.1);
    private static final Picker BLOG_SHARE = Picker.zipf(SiteModel.BLOG.size(), 1.0);
    private static final Picker WORD_SHARE = Picker.zipf(SiteModel.WORDS.size(), 1.0);
    private static final Picker CLIENT_SHARE = Picker.zipf(CLIENTS, 0.7);

    private final SplittableRandom rnd;
    private final List<Client> clients;
    /** Whether a client's browser already holds the site's assets (then it mostly revalidates: 304). */
    private final boolean[] cached = new boolean[CLIENTS];
    private final List<SiteVisit> ready = new ArrayList<>();
    private final PriorityQueue<SiteVisit> sleeping = new PriorityQueue<>(
            Comparator.<SiteVisit>comparingLong(v -> v.readyAt).thenComparingLong(v -> v.id));
    private long step;
    private long visits;

    NormalTraffic(SplittableRandom rnd, Set<String> reservedIps) {
        this.rnd = rnd;
        this.clients = SiteModel.clients(rnd, CLIENTS, reservedIps);
    }

    /** A random visitor from the pool (popular ones more often), drawn with the caller's generator. */
    Client someClient(SplittableRandom r) {
        return clients.get(CLIENT_SHARE.pick(r));
    }

    /** The next request any visitor sends. */
    Hit next() {
        step++;
        while (!sleeping.isEmpty() && sleeping.peek().readyAt <= step) ready.add(sleeping.poll());
        // New visits arrive less often while many are under way, which keeps a handful interleaved at any time.
        if (ready.isEmpty() || rnd.nextDouble() < 0.25 / (1 + ready.size())) ready.add(newVisit());
        int i = rnd.nextInt(ready.size());
        SiteVisit v = ready.get(i);
        Hit hit = v.pending.poll();
        if (v.pending.isEmpty()) {
            ready.set(i, ready.get(ready.size() - 1));
            ready.remove(ready.size() - 1);
            if (v.pagesLeft > 0) {
                // A redirect after a form post is followed at once; anything else after the visitor has read a while
                // (exponential think time; StrictMath so every JVM draws the same numbers).
                double think = v.homeNext ? 1 : -StrictMath.log(1 - rnd.nextDouble()) * MEAN_THINK_STEPS / (v.crawler ? 4 : 1);
                v.readyAt = step + 1 + (long) think;
                plan(v);
                sleeping.add(v);
            }
        }
        return hit;
    }

    private SiteVisit newVisit() {
        int kind = rnd.nextInt(100);
        SiteVisit v;
        if (kind < 5) return monitor();
        if (kind < 11) {
            v = crawler();
        } else {
            int c = CLIENT_SHARE.pick(rnd);
            Client cl = clients.get(c);
            v = new SiteVisit(visits++, c, cl.ip(), cl.userAgent(), cl.protocol(), false);
            // Half of the comebacks arrive with a cold cache anyway: another device, an expired or cleared cache.
            v.warm = cached[c] && rnd.nextBoolean();
            cached[c] = true;
            v.pagesLeft = 1;
            while (v.pagesLeft < 12 && rnd.nextInt(100) < 55) v.pagesLeft++;
        }
        plan(v);
        return v;
    }

    private SiteVisit monitor() {
        boolean robot = rnd.nextBoolean();
        String ip = robot ? "69.162.124." + (226 + rnd.nextInt(13)) : "10.0.0.2";
        SiteVisit v = new SiteVisit(visits++, -1, ip, robot ? SiteModel.UPTIME_ROBOT : SiteModel.BLACKBOX, SiteModel.HTTP11, true);
        if (robot) add(v, "HEAD", "/", 200, 0, SiteModel.NONE);
        else add(v, "GET", "/api/v1/health", 200, 15, SiteModel.NONE);
        return v;
    }

    private SiteVisit crawler() {
        boolean google = rnd.nextInt(100) < 65;
        List<String> nets = google ? SiteModel.GOOGLE_NETS : SiteModel.BING_NETS;
        String ip = nets.get(rnd.nextInt(nets.size())) + (1 + rnd.nextInt(254));
        String ua = google ? SiteModel.GOOGLEBOTS.get(rnd.nextInt(SiteModel.GOOGLEBOTS.size())) : SiteModel.BINGBOT;
        SiteVisit v = new SiteVisit(visits++, -1, ip, ua, SiteModel.HTTP11, true);
        v.pagesLeft = 1 + rnd.nextInt(5);
        if (rnd.nextInt(100) < 45) add(v, "GET", SiteModel.ROBOTS.path(), 200, SiteModel.ROBOTS.bytes(), SiteModel.NONE);
        return v;
    }

    /** Queues the requests of the visit's next page. */
    private void plan(SiteVisit v) {
        v.pagesLeft--;
        Page p = v.homeNext ? Page.HOME : PAGES[PAGE_SHARE.pick(rnd)];
        v.homeNext = false;
        String ref = v.crawler ? SiteModel.NONE
                : v.lastUrl != null ? v.lastUrl : SiteModel.EXTERNAL_REFERRERS.get(SiteModel.EXTERNAL_SHARE.pick(rnd));
        if (v.crawler && rnd.nextInt(100) < 8) {
            add(v, "GET", SiteModel.SITEMAP.path(), 200, SiteModel.SITEMAP.bytes(), ref);
            return;
        }
        switch (p) {
            case HOME -> home(v, ref);
            case LANDING -> landing(v, ref);
            case PRODUCT -> product(v, ref);
            case PRODUCTS -> products(v, ref);
            case BLOG_POST -> blogPost(v, ref);
            case SEARCH -> search(v, ref);
            case LOGIN -> login(v, ref);
            case ABOUT -> simplePage(v, "/about", 4_700 + rnd.nextInt(200), ref, SiteModel.TEAM);
            case BLOG_INDEX -> blogIndex(v, ref);
            case CART -> cart(v, ref);
            case CONTACT -> contact(v, ref);
            case FAQ -> simplePage(v, "/faq", 9_800 + rnd.nextInt(300), ref, null);
        }
    }

    private void home(SiteVisit v, String ref) {
        // /home is the light signed-in start page: 300-1500 bytes, so "GET /home 200 500" is ordinary.
        String url = page(v, "/home", 300 + rnd.nextInt(1_201), ref);
        if (v.crawler) return;
        asset(v, SiteModel.AVATAR, url);
        add(v, "GET", "/api/v1/recommendations", 200, 1_200 + rnd.nextInt(2_600), url);
        if (rnd.nextBoolean()) add(v, "GET", "/api/v1/cart", 200, 40 + rnd.nextInt(560), url);
    }

    private void landing(SiteVisit v, String ref) {
        if (rnd.nextInt(100) < 4) redirect(v, "/index.html", ref);
        String url = page(v, "/", 6_900 + rnd.nextInt(500), ref);
        if (!v.crawler) asset(v, SiteModel.HERO, url);
    }

    private void product(SiteVisit v, String ref) {
        if (rnd.nextInt(100) < 3) {
            notFound(v, "/products/" + (80 + rnd.nextInt(10)), ref);
            return;
        }
        int id = SiteModel.FIRST_PRODUCT + PRODUCT_SHARE.pick(rnd);
        String url = page(v, "/products/" + id, SiteModel.productPageBytes(id) - 150 + rnd.nextInt(300), ref);
        if (v.crawler) return;
        asset(v, SiteModel.productImage(id), url);
        add(v, "GET", "/api/v1/products/" + id + "/reviews", 200, 400 + rnd.nextInt(3_600), url);
        if (rnd.nextInt(100) < 12) add(v, "POST", "/api/v1/cart", 201, 90 + rnd.nextInt(40), url);
    }

    private void products(SiteVisit v, String ref) {
        if (rnd.nextInt(100) < 3) redirect(v, "/products/", ref);
        int r = rnd.nextInt(10);
        String target = r < 6 ? "/products" : r < 8 ? "/products?page=" + (2 + rnd.nextInt(3))
                : "/products?category=" + SiteModel.CATEGORIES.get(rnd.nextInt(SiteModel.CATEGORIES.size()));
        String url = page(v, target, 12_000 + rnd.nextInt(6_000), ref);
        if (v.crawler) return;
        int first = PRODUCT_SHARE.pick(rnd);
        for (int k = 3 + rnd.nextInt(4); k > 0; k--) {
            asset(v, SiteModel.productThumb(SiteModel.FIRST_PRODUCT + (first + k) % SiteModel.PRODUCTS), url);
        }
    }

    private void blogPost(SiteVisit v, String ref) {
        if (rnd.nextInt(100) < 4) {
            notFound(v, "/blog/" + SiteModel.STALE_BLOG.get(rnd.nextInt(SiteModel.STALE_BLOG.size())), ref);
            return;
        }
        int i = BLOG_SHARE.pick(rnd);
        String url = page(v, "/blog/" + SiteModel.BLOG.get(i), SiteModel.blogBytes(i) - 80 + rnd.nextInt(160), ref);
        if (v.crawler) return;
        asset(v, SiteModel.BLOG_CSS, url);
        asset(v, SiteModel.blogImage(i), url);
    }

    private void blogIndex(SiteVisit v, String ref) {
        if (rnd.nextInt(100) < 5) redirect(v, "/blog", ref);
        String url = page(v, "/blog/", 7_500 + rnd.nextInt(700), ref);
        if (!v.crawler) asset(v, SiteModel.BLOG_CSS, url);
    }

    private void search(SiteVisit v, String ref) {
        String word = SiteModel.WORDS.get(WORD_SHARE.pick(rnd));
        String url = page(v, "/search?q=" + word, 3_000 + (word.hashCode() & 0x1fff) + rnd.nextInt(400), ref);
        if (v.crawler) return;
        asset(v, SiteModel.SEARCH_JS, url);
        String prefix = word.substring(0, Math.min(word.length(), 2 + rnd.nextInt(3)));
        add(v, "GET", "/api/v1/search/suggest?q=" + prefix, 200, 80 + rnd.nextInt(820), url);
    }

    private void login(SiteVisit v, String ref) {
        String url = page(v, "/login", 2_900 + rnd.nextInt(200), ref);
        if (v.crawler) return;
        if (rnd.nextInt(100) < 10) {
            add(v, "POST", "/login", 200, 3_150 + rnd.nextInt(60), url);   // wrong password: the form again
        } else {
            add(v, "POST", "/login", 302, 0, url);
            v.homeNext = true;
            v.pagesLeft = Math.max(v.pagesLeft, 1);
        }
    }

    private void cart(SiteVisit v, String ref) {
        String url = page(v, "/cart", 2_000 + rnd.nextInt(4_000), ref);
        if (!v.crawler) add(v, "GET", "/api/v1/cart", 200, 40 + rnd.nextInt(560), url);
    }

    private void contact(SiteVisit v, String ref) {
        String url = page(v, "/contact", 3_600 + rnd.nextInt(100), ref);
        if (v.crawler || rnd.nextInt(100) >= 20) return;
        add(v, "POST", "/contact", 303, 0, url);
        add(v, "GET", "/contact?sent=1", 200, 3_300 + rnd.nextInt(50), url);
    }

    private void simplePage(SiteVisit v, String path, long bytes, String ref, Asset image) {
        String url = page(v, path, bytes, ref);
        if (image != null && !v.crawler) asset(v, image, url);
    }

    /** The page itself plus, on a visit's first page, the shared assets; returns the page URL (the next referrer). */
    private String page(SiteVisit v, String target, long bytes, String ref) {
        boolean revalidate = v.crawler && rnd.nextInt(100) < 10;
        add(v, "GET", target, revalidate ? 304 : 200, revalidate ? 0 : bytes, ref);
        String url = SiteModel.ORIGIN + target;
        v.lastUrl = url;
        if (v.crawler || !v.firstPage) return url;
        v.firstPage = false;
        asset(v, SiteModel.MAIN_CSS, url);
        asset(v, SiteModel.VENDOR_JS, url);
        asset(v, SiteModel.APP_JS, url);
        asset(v, SiteModel.LOGO, url);
        if (!v.warm) asset(v, SiteModel.FAVICON, url);
        if (clients.get(v.client).apple() && rnd.nextInt(100) < 30) {
            add(v, "GET", "/apple-touch-icon.png", 404, SiteModel.nginxPage(404), SiteModel.NONE);
        }
        return url;
    }

    /** A static file: fetched whole on first sight; a browser that has it often sends nothing or revalidates (304). */
    private void asset(SiteVisit v, Asset a, String ref) {
        if (!v.fetched.add(a.path())) return;
        int r = v.warm ? rnd.nextInt(100) : 99;
        // A warm cache mostly answers by itself (no request) or revalidates; now and then it was evicted.
        if (r < 55) return;
        if (r < 88) add(v, "GET", a.path(), 304, 0, ref);
        else add(v, "GET", a.path(), 200, a.bytes(), ref);
    }

    /** An old URL answered with 301; the browser then asks for the new one with the same referrer. */
    private void redirect(SiteVisit v, String oldTarget, String ref) {
        add(v, "GET", oldTarget, 301, SiteModel.nginxPage(301), ref);
    }

    private void notFound(SiteVisit v, String target, String ref) {
        add(v, "GET", target, 404, SiteModel.APP_404, ref);
        if (!v.crawler && v.firstPage) asset(v, SiteModel.MAIN_CSS, SiteModel.ORIGIN + target);
    }

    private void add(SiteVisit v, String method, String target, int status, long bytes, String ref) {
        v.pending.add(new Hit(v.ip, method, target, v.protocol, status, bytes, ref, v.userAgent));
    }
}
