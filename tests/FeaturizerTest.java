package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class FeaturizerTest {
    private final AccessLogParser parser = new AccessLogParser(LogFormat.AUTO);
    private final Featurizer f = new Featurizer(Featurizer.DEFAULT_BUCKETS, true);

    private double[] features(String line) {
        return f.featurize(((ParseResult.Parsed) parser.parse(line)).record());
    }

    private double get(double[] x, String name) {
        int i = f.schema().indexOf(name);
        assertTrue(i >= 0, "feature " + name + " exists");
        return x[i];
    }

    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    @Test
    void schemaHasNamedFixedWidthFeatures() {
        FeatureSchema s = f.schema();
        assertEquals(s.names().length, s.size());
        assertEquals(s.size(), features("10.0.0.1 - - [27/Nov/2025] \"GET /home HTTP/1.1\" 200 500").length);
        for (String required : new String[] {"status_class", "log_bytes", "method", "path_depth", "path_length", "query_length",
                "query_params", "special_chars", "nonalnum_share", "ext_class", "ua_length", "ua_family", "path_token_0"}) {
            assertTrue(s.indexOf(required) >= 0, required);
        }
    }

    @Test
    void normalPageRequest() {
        double[] x = features("10.0.0.1 - - [27/Nov/2025:10:00:00 +0000] \"GET /home HTTP/1.1\" 200 500 \"-\" \"" + BROWSER + "\"");
        assertEquals(2, get(x, "status_class"));
        assertEquals(Math.log1p(500), get(x, "log_bytes"), 1e-12);
        assertEquals(0, get(x, "method"));
        assertEquals(1, get(x, "path_depth"));
        assertEquals(5, get(x, "path_length"));
        assertEquals(0, get(x, "query_length"));
        assertEquals(0, get(x, "special_chars"));
        assertEquals(0, get(x, "ext_class"));
        assertEquals(0, get(x, "ua_family"));
        assertEquals(BROWSER.length(), get(x, "ua_length"));
        assertEquals(0, get(x, "has_referrer"));
        double tokens = 0;
        for (int i = 0; i < Featurizer.DEFAULT_BUCKETS; i++) tokens += get(x, "path_token_" + i);
        assertEquals(1, tokens, "one token: home");
    }

    @Test
    void sqlInjectionQueryLightsUpAttackFeatures() {
        double[] x = features("10.0.0.9 - - [27/Nov/2025:10:00:00 +0000] \"GET /products.php?id=1%27%20UNION%20SELECT%20password%20FROM%20users--&x=2 HTTP/1.1\" 200 1234 \"-\" \"sqlmap/1.7\"");
        assertEquals(3, get(x, "ext_class"));
        assertEquals(2, get(x, "query_params"));
        assertEquals(6, get(x, "percent_encoded"));
        assertTrue(get(x, "sql_tokens") >= 3, "union, select, --");
        assertEquals(4, get(x, "ua_family"), "an unknown client is neither browser, bot nor generic library");
    }

    @Test
    void traversalAndScriptTags() {
        double[] t = features("1.2.3.4 - - [27/Nov/2025:10:00:00 +0000] \"GET /static/../../../etc/passwd HTTP/1.1\" 404 150 \"-\" \"curl/8.5.0\"");
        assertEquals(3, get(t, "traversal"));
        assertEquals(1, get(t, "status_404"));
        assertEquals(2, get(t, "ua_family"));
        double[] s = features("1.2.3.4 - - [27/Nov/2025:10:00:00 +0000] \"GET /search?q=%3Cscript%3Ealert(1)%3C/script%3E HTTP/1.1\" 200 900 \"-\" \"\"");
        assertTrue(get(s, "script_tokens") >= 2);
        assertEquals(3, get(s, "ua_family"), "empty user agent");
        assertTrue(get(s, "special_chars") >= 2, "parentheses");
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
        assertEquals(1, Featurizer.userAgentFamily("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"));
    }

    @Test
    void numbersInPathsShareAToken() {
        double[] a = features("1.1.1.1 - - [27/Nov/2025] \"GET /products/12 HTTP/1.1\" 200 500");
        double[] b = features("1.1.1.1 - - [27/Nov/2025] \"GET /products/9876 HTTP/1.1\" 200 500");
        for (int i = 0; i < Featurizer.DEFAULT_BUCKETS; i++) assertEquals(get(a, "path_token_" + i), get(b, "path_token_" + i));
    }

    @Test
    void userAgentFeaturesCanBeTurnedOff() {
        Featurizer noUa = new Featurizer(4, false);
        assertEquals(-1, noUa.schema().indexOf("ua_family"));
        assertEquals(f.schema().size() - 2 - 4, noUa.schema().size());
    }

    @Test
    void schemaFromAnotherVersionIsRefused() {
        FeatureSchema old = new FeatureSchema(0, f.schema().names(), 8, true, false);
        SentinelException e = assertThrows(SentinelException.class, () -> new Featurizer(old, null));
        assertEquals(ExitCodes.BAD_INPUT, e.status());
        assertTrue(e.getMessage().contains("retrain"));
    }
}
