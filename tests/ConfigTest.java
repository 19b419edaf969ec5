package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    @TempDir Path dir;

    private Path write(String yaml) throws Exception {
        Path f = dir.resolve("config.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private SentinelException failure(String yaml) throws Exception {
        Path f = write(yaml);
        return assertThrows(SentinelException.class, () -> Config.load(f, true, Map.of(), Map.of()));
    }

    @Test
    void shippedConfigLoadsCleanlyWithDocumentedDefaults() {
        Path shipped = TestSupport.repoRoot().resolve("config.yaml");
        Config c = Config.load(shipped, true, Map.of(), Map.of());
        assertEquals(shipped.getParent().resolve("logs/access.log"), c.logFile());
        assertEquals(0.001, c.model().contamination());
        assertEquals(100, c.model().trees());
        assertEquals(256, c.model().sampleSize());
        assertEquals(LogFormat.AUTO, c.model().logFormat());
        assertEquals(Duration.ofMillis(200), c.tail().sleepInterval());
        assertNull(c.tail().stateFile());
        assertFalse(c.alert().active(), "the placeholder webhook means alerts are off");
        assertEquals(Duration.ofSeconds(30), c.alert().groupWindow());
        assertTrue(Double.isNaN(c.model().scoreThreshold()));
    }

    @Test
    void everySchemaKeyAppearsInTheShippedFile() throws Exception {
        String text = Files.readString(TestSupport.repoRoot().resolve("config.yaml"));
        for (ConfigKey k : ConfigSchema.KEYS) {
            String leaf = k.name().substring(k.name().indexOf('.') + 1);
            assertTrue(text.contains(leaf + ":"), "config.yaml documents " + k.name());
        }
    }

    @Test
    void pathsResolveAgainstTheConfigFilesFolder() throws Exception {
        Path f = write("log_file: sub/access.log\n");
        assertEquals(dir.resolve("sub/access.log"), Config.load(f, true, Map.of(), Map.of()).logFile());
    }

    @Test
    void unknownKeyIsNamedWithLineAndSuggestion() throws Exception {
        SentinelException e = failure("trees: 10\ncontaminaton: 0.1\n");
        assertEquals(ExitCodes.BAD_INPUT, e.status());
        assertEquals("config.yaml:2: unknown key 'contaminaton' (did you mean 'contamination'?)", e.getMessage());
    }

    @Test
    void unknownKeyInsideSectionIsNamed() throws Exception {
        SentinelException e = failure("alert:\n  enabled: true\n  group_windw: 10s\n");
        assertTrue(e.getMessage().startsWith("config.yaml:3: unknown key 'alert.group_windw'"), e.getMessage());
        assertTrue(e.getMessage().contains("alert.group_window"), e.getMessage());
    }

    @Test
    void wrongTypeNamesKeyAndLine() throws Exception {
        SentinelException e = failure("log_file: a.log\ntrees: many\n");
        assertEquals("config.yaml:2: trees: expected a whole number of at least 1, got 'many'", e.getMessage());
    }

    @Test
    void outOfRangeValuesAreRejected() throws Exception {
        assertTrue(failure("contamination: 0.7\n").getMessage().contains("contamination: expected 'auto' or a number in (0, 0.5]"));
        assertTrue(failure("sleep_interval: 0\n").getMessage().contains("sleep_interval"));
        assertTrue(failure("trees: 0\n").getMessage().contains("trees"));
        assertTrue(failure("log_format: apache\n").getMessage().contains("expected one of auto, combined, common, seed"));
        assertTrue(failure("alert:\n  group_window: soon\n").getMessage().startsWith("config.yaml:2: alert.group_window"));
    }

    @Test
    void listWhereScalarExpectedIsRejected() throws Exception {
        assertTrue(failure("trees: [1, 2]\n").getMessage().startsWith("config.yaml:1: trees: expected a single value"));
    }

    @Test
    void brokenYamlGivesOneLineWithLine() throws Exception {
        SentinelException e = failure("trees: 10\nseed: [1, 2\n");
        assertTrue(e.getMessage().startsWith("config.yaml:"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void yamlTagsThatBuildObjectsAreRefused() throws Exception {
        SentinelException e = failure("trees: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]\n");
        assertEquals(ExitCodes.BAD_INPUT, e.status());
    }

    @Test
    void contaminationAutoAndScoreThreshold() throws Exception {
        Config c = Config.load(write("contamination: auto\nscore_threshold: 0.62\n"), true, Map.of(), Map.of());
        assertTrue(c.model().autoContamination());
        assertEquals(0.62, c.model().scoreThreshold());
    }

    @Test
    void precedenceIsCommandLineThenEnvironmentThenFileThenDefault() throws Exception {
        Path f = write("trees: 10\nseed: 5\nsample_size: 64\n");
        Map<String, String> env = Map.of("SENTINEL_TREES", "20", "SENTINEL_SEED", "6");
        Config c = Config.load(f, true, env, Map.of("trees", "30"));
        assertEquals(30, c.model().trees());
        assertEquals(6, c.model().seed());
        assertEquals(64, c.model().sampleSize());
        assertEquals(0.001, c.model().contamination());
    }

    @Test
    void badOverrideNamesTheOption() {
        SentinelException e = assertThrows(SentinelException.class,
                () -> Config.load(null, false, Map.of(), Map.of("contamination", "lots")));
        assertTrue(e.getMessage().startsWith("--contamination: contamination:"), e.getMessage());
    }

    @Test
    void webhookFromEnvironmentOverridesFileAndIsNeverDescribed() throws Exception {
        String secret = "https://hooks.slack.com/services/T000SECRET/B000SECRET/XXXXSECRETXXXX";
        Path f = write("slack_webhook: https://hooks.slack.com/services/T111/B111/file\n");
        Config c = Config.load(f, true, Map.of("SLACK_WEBHOOK_URL", secret), Map.of());
        assertEquals(secret, c.alert().webhook());
        assertTrue(c.alert().active());
        String described = String.join("\n", c.describe());
        assertFalse(described.contains("SECRET"), described);
        assertTrue(described.contains("env SLACK_WEBHOOK_URL"), described);
    }

    @Test
    void missingExplicitFileIsAnError() {
        SentinelException e = assertThrows(SentinelException.class,
                () -> Config.load(dir.resolve("nope.yaml"), true, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("does not exist"));
    }

    @Test
    void emptyFileMeansDefaults() throws Exception {
        Config c = Config.load(write(""), true, Map.of(), Map.of());
        assertEquals(100, c.model().trees());
    }

    @Test
    void customFormatReadsItsPatternAndPrintsIt() throws Exception {
        Config c = Config.load(write("log_format: custom\nlog_pattern: '(?<ip>\\S+) \"(?<request>[^\"]*)\" (?<status>\\d{3})'\n"), true, Map.of(), Map.of());
        assertEquals(LogFormat.CUSTOM, c.model().logFormat());
        AccessRecord r = ((ParseResult.Parsed) c.model().parser().parse("10.0.0.1 \"GET /a?b=1 HTTP/1.1\" 404")).record();
        assertEquals(List.of("10.0.0.1", "/a", "b=1", 404), List.of(r.ip(), r.path(), r.query(), r.status()));
        assertTrue(c.describe().stream().anyMatch(l -> l.startsWith("log_pattern:") && l.contains("(?<ip>\\S+)") && l.endsWith("# config.yaml:2")),
                String.join("\n", c.describe()));
        assertEquals(LogFormat.NGINX_JSON, Config.load(write("log_format: nginx-json\n"), true, Map.of(), Map.of()).model().logFormat());
    }

    @Test
    void wrongLogPatternIsAConfigErrorNamingLineAndKey() throws Exception {
        SentinelException syntax = failure("trees: 10\nlog_format: custom\nlog_pattern: '(?<ip>\\S+ (?<status>\\d+)'\n");
        assertEquals(ExitCodes.BAD_INPUT, syntax.status());
        assertTrue(syntax.getMessage().startsWith("config.yaml:3: log_pattern: not a valid regex: Unclosed group near index"), syntax.getMessage());
        SentinelException groups = failure("log_format: custom\nlog_pattern: '(?<ip>\\S+) (?<code>\\d{3})'\n");
        assertTrue(groups.getMessage().startsWith("config.yaml:2: log_pattern: the regex has no named group status, request (or path)"), groups.getMessage());
        SentinelException none = failure("seed: 1\nlog_format: custom\n");
        assertTrue(none.getMessage().startsWith("config.yaml:2: log_format: custom needs log_pattern"), none.getMessage());
        SentinelException unused = failure("log_format: combined\nlog_pattern: '(?<ip>\\S+) (?<status>\\d{3}) (?<request>.*)'\n");
        assertTrue(unused.getMessage().startsWith("config.yaml:2: log_pattern: only read with log_format custom, but log_format is combined (config.yaml:1)"),
                unused.getMessage());
        SentinelException format = failure("log_format: apache\n");
        assertEquals("config.yaml:1: log_format: expected one of auto, combined, common, seed, nginx-json or custom, got 'apache'", format.getMessage());
        Path f = write("log_format: custom\n");
        SentinelException fromFlag = assertThrows(SentinelException.class, () -> Config.load(f, true, Map.of(), Map.of("log_pattern", "(")));
        assertTrue(fromFlag.getMessage().startsWith("--log-pattern: log_pattern: not a valid regex"), fromFlag.getMessage());
    }

    @Test
    void pathsThatMustExistAreCheckedWithTheirOrigin() throws Exception {
        SentinelException kafka = failure("trees: 5\nkafka_config: client.properties\n");
        assertEquals("config.yaml:2: kafka_config: " + Printable.path(dir.resolve("client.properties")) + " does not exist or is not a file", kafka.getMessage());
        SentinelException state = failure("state_file: nowhere/state.json\n");
        assertEquals("config.yaml:1: state_file: its folder " + Printable.path(dir.resolve("nowhere")) + " does not exist", state.getMessage());
        Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\n");
        Config ok = Config.load(write("kafka_config: client.properties\ntrain_file: missing.log\n"), true, Map.of(), Map.of());
        SentinelException train = assertThrows(SentinelException.class, () -> ok.existingFile("train_file"));
        assertEquals("config.yaml:2: train_file: " + Printable.path(dir.resolve("missing.log")) + " does not exist", train.getMessage());
        SentinelException folder = assertThrows(SentinelException.class,
                () -> Config.load(write(""), true, Map.of(), Map.of("train_file", dir.toString())).existingFile("train_file"));
        assertTrue(folder.getMessage().startsWith("--train-file: train_file: ") && folder.getMessage().endsWith(" is a directory, not a file"), folder.getMessage());
        Config defaults = Config.load(write(""), true, Map.of(), Map.of());
        assertFalse(Files.exists(defaults.trainFile()));
        assertTrue(assertThrows(SentinelException.class, () -> defaults.existingFile("train_file")).getMessage().startsWith("train_file (default): "));
        Files.writeString(dir.resolve("missing.log"), "x\n");
        assertEquals(dir.resolve("missing.log"), ok.existingFile("train_file"));
    }
}
