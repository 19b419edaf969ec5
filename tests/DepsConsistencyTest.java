package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every library is pinned once: one exact version per artifact across all //DEPS lines in the repo. */
class DepsConsistencyTest {
    private static final Pattern DEPS = Pattern.compile("^//DEPS\\s+([\\w.\\-]+):([\\w.\\-]+):([^\\s@]+)", Pattern.MULTILINE);

    @Test
    void eachArtifactHasOneExactVersion() throws Exception {
        Map<String, String> versions = new HashMap<>();
        Map<String, Path> where = new HashMap<>();
        int seen = 0;
        try (Stream<Path> files = Files.walk(TestSupport.repoRoot())) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.toString().contains("/.cache/"))::iterator) {
                Matcher m = DEPS.matcher(Files.readString(p));
                while (m.find()) {
                    seen++;
                    String ga = m.group(1) + ":" + m.group(2), v = m.group(3);
                    assertFalse(v.contains("[") || v.contains("(") || v.contains("+") || v.equalsIgnoreCase("LATEST")
                            || v.equalsIgnoreCase("RELEASE"), ga + " must be pinned, not " + v + " in " + p);
                    String prev = versions.putIfAbsent(ga, v);
                    assertTrue(prev == null || prev.equals(v), ga + " has " + prev + " in " + where.get(ga) + " and " + v + " in " + p);
                    where.putIfAbsent(ga, p);
                }
            }
        }
        assertTrue(seen >= 5, "found the //DEPS lines (" + seen + ")");
    }

    @Test
    void launcherWorksFromAnyDirectory() throws Exception {
        Path elsewhere = Files.createTempDirectory("sentinel-cwd");
        TestSupport.Run r = TestSupport.jbang(elsewhere, null, null, 60, "version");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue((r.stdout() + r.stderr()).contains("0.132.1"), r.stdout() + r.stderr());
    }
}
