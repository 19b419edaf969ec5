// Config.java -- loads config.yaml safely, applies environment and command-line overrides, and hands out typed settings.
//DEPS org.yaml:snakeyaml:2.7
package sentinel;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The effective settings: defaults, then config.yaml, then environment, then command line (later wins).
 * Immutable; every value is checked on load and errors name the file, line and key.
 */
public record Config(Path file, Map<String, Setting> settings) {

    /** One effective value and where it came from ({@code default}, {@code config.yaml:7}, {@code env ...}, {@code --flag}). */
    public record Setting(Object value, String origin) {}

    public static final String WEBHOOK_ENV = "SLACK_WEBHOOK_URL";

    /**
     * Loads {@code file} (null or a missing default file: defaults only), then {@code env} and {@code overrides}
     * (dotted key → text). Throws SentinelException (exit 2) with a one-line message on any bad value.
     */
    public static Config load(Path file, boolean fileRequired, Map<String, String> env, Map<String, String> overrides) {
        Path base = file == null ? Path.of("").toAbsolutePath() : file.toAbsolutePath().getParent();
        Map<String, Setting> values = new LinkedHashMap<>();
        for (ConfigKey k : ConfigSchema.KEYS) {
            values.put(k.name(), new Setting(k.defaultText() == null ? null : resolve(k, k.parse(k.defaultText()), base), "default"));
        }
        if (file != null) {
            if (Files.exists(file)) readFile(file, base, values);
            else if (fileRequired) throw SentinelException.badInput("config file " + file + " does not exist");
        }
        Path cwd = Path.of("").toAbsolutePath();
        for (ConfigKey k : ConfigSchema.KEYS) {
            String fromEnv = env.get(k.envName());
            if (k.name().equals("slack_webhook") && env.get(WEBHOOK_ENV) != null) fromEnv = env.get(WEBHOOK_ENV);
            if (fromEnv != null) {
                String origin = k.name().equals("slack_webhook") && env.get(WEBHOOK_ENV) != null ? "env " + WEBHOOK_ENV : "env " + k.envName();
                values.put(k.name(), new Setting(parse(k, fromEnv, origin, cwd), origin));
            }
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            ConfigKey k = ConfigSchema.find(o.getKey());
            if (k == null) throw new IllegalArgumentException("no such config key: " + o.getKey());
            values.put(k.name(), new Setting(parse(k, o.getValue(), k.optionName(), cwd), k.optionName()));
        }
        Config cfg = new Config(file, Collections.unmodifiableMap(values));
        ConfigChecks.check(cfg);
        return cfg;
    }

    private static Object parse(ConfigKey k, String text, String origin, Path base) {
        if (text == null || (text.isBlank() && k.defaultText() == null)) return null;
        try {
            return resolve(k, k.parse(text), base);
        } catch (IllegalArgumentException e) {
            throw SentinelException.badInput(origin + ": " + k.name() + ": " + e.getMessage() + ", got '" + Printable.excerpt(text, 60) + "'");
        }
    }

    private static Object resolve(ConfigKey k, Object value, Path base) {
        if (k.type() == ConfigKey.Type.PATH && value instanceof String s) {
            if (s.isBlank()) return null;
            return s.equals("-") ? Path.of("-") : base.resolve(s).normalize();
        }
        return value;
    }

    private static void readFile(Path file, Path base, Map<String, Setting> values) {
        String name = file.getFileName().toString();
        Node root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).compose(r);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw SentinelException.badInput(name + ":" + line + ": not valid YAML: " + firstLine(e.getProblem()));
        } catch (YAMLException e) {
            throw SentinelException.badInput(name + ": not valid YAML: " + firstLine(e.getMessage()));
        } catch (NoSuchFileException e) {
            throw SentinelException.badInput("config file " + file + " does not exist");
        } catch (IOException e) {
            throw SentinelException.badInput("cannot read " + file + ": " + e.getMessage());
        }
        if (root == null) return;
        if (!(root instanceof MappingNode map)) {
            throw SentinelException.badInput(name + ":" + line(root) + ": expected 'key: value' lines at the top level");
        }
        walk(name, "", map, base, values);
    }

    private static void walk(String fileName, String prefix, MappingNode map, Path base, Map<String, Setting> values) {
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
                throw SentinelException.badInput(fileName + ":" + line(t.getKeyNode()) + ": keys must be plain words");
            }
            String keyName = prefix + keyNode.getValue();
            String where = fileName + ":" + line(keyNode);
            Node valueNode = t.getValueNode();
            if (prefix.isEmpty() && ConfigSchema.isSection(keyName)) {
                if (valueNode instanceof MappingNode section) walk(fileName, keyName + ".", section, base, values);
                else if (!(valueNode instanceof ScalarNode s && s.getValue().isEmpty())) {
                    throw SentinelException.badInput(where + ": " + keyName + ": expected a section of 'key: value' lines");
                }
                continue;
            }
            ConfigKey k = ConfigSchema.find(keyName);
            if (k == null) {
                String hint = ConfigSchema.suggest(keyName);
                throw SentinelException.badInput(where + ": unknown key '" + keyName + "'" + (hint == null ? "" : " (did you mean '" + hint + "'?)"));
            }
            if (!(valueNode instanceof ScalarNode scalar)) {
                throw SentinelException.badInput(where + ": " + keyName + ": expected a single value, not a list or section");
            }
            boolean isNull = "tag:yaml.org,2002:null".equals(scalar.getTag().getValue());
            if (isNull && k.defaultText() != null && k.type() != ConfigKey.Type.SECRET) continue;
            values.put(k.name(), new Setting(isNull ? null : parse(k, scalar.getValue(), where, base), where));
        }
    }

    private static int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    private static String firstLine(String s) {
        if (s == null) return "syntax error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The effective value of a key (see {@link ConfigSchema}). */
    public Object get(String key) {
        Setting s = settings.get(key);
        if (s == null) throw new IllegalArgumentException("no such config key: " + key);
        return s.value();
    }

    public Path logFile() { return (Path) get("log_file"); }

    public Path trainFile() { return (Path) get("train_file"); }

    public Path modelFile() { return (Path) get("model_file"); }

    /**
     * The path of {@code key} when it names an existing file, else a SentinelException (exit 2) naming the file, line
     * and key it came from. Which paths must exist depends on the script (detect waits for a log that is not there yet).
     */
    public Path existingFile(String key) { return ConfigChecks.existingFile(this, key); }

    /** Settings for training and thresholds. */
    public ModelSettings model() {
        return new ModelSettings((Double) get("contamination"), (Double) get("score_threshold"), (Integer) get("trees"),
                (Integer) get("sample_size"), (Long) get("seed"), (LogFormat) get("log_format"), (LogPattern) get("log_pattern"));
    }

    /** Settings for following the log. */
    public TailSettings tail() {
        return new TailSettings(logFile(), (Duration) get("sleep_interval"), (Integer) get("max_line_bytes"), (Path) get("state_file"));
    }

    /** Settings for alerts; the webhook stays inside this record and is never printed. */
    public AlertSettings alert() {
        return new AlertSettings((String) get("slack_webhook"), (Boolean) get("alert.enabled"), (Duration) get("alert.group_window"),
                (Duration) get("alert.realert"), (Double) get("alert.min_score"), (Duration) get("alert.timeout"), (Integer) get("alert.max_queue"));
    }

    /** The effective settings as {@code key: value  # origin} lines, secrets redacted, paths relative to the working directory. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        Path cwd = Path.of("").toAbsolutePath();
        for (ConfigKey k : ConfigSchema.KEYS) {
            Setting s = settings.get(k.name());
            Object v = s.value();
            String text;
            if (v == null) text = "";
            else if (k.type() == ConfigKey.Type.SECRET) text = AlertSettings.redact((String) v);
            else if (v instanceof Path p) text = p.isAbsolute() && p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
            else if (v instanceof Duration d) text = Printable.duration(d);
            else if (v instanceof Double dd && dd.isNaN()) text = k.type() == ConfigKey.Type.CONTAMINATION ? "auto" : "none";
            else if (v instanceof LogFormat f) text = f.configName();
            else text = String.valueOf(v);
            lines.add(String.format("%-20s %-36s # %s", k.name() + ":", text, s.origin()));
        }
        return lines;
    }
}
