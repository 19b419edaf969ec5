// NotebooksTest.java -- executes both notebooks headless with Jupyter and the Sentinel kernel, then checks their key outputs.
package sentinel;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code jupyter nbconvert --to notebook --execute} on notebooks/01 and 02 against the kernel spec that
 * {@code ./jbang notebooks/setup.java} wrote for this checkout (found through JUPYTER_PATH), fails on any cell error,
 * and checks what a reader must see: the table summary, real PNG plots, and a recommended contamination in (0, 0.5).
 * Skipped, never passed, when Jupyter or the kernel is missing.
 */
class NotebooksTest {
    private static final String SETUP = "Jupyter or the Sentinel kernel is not installed: run ./jbang notebooks/setup.java";
    private static final long NOTEBOOK_TIMEOUT_SEC = 300;
    private static Path kernelDir;
    private static String missing;
    private static boolean built;

    /** Checked before each test, so that a machine without Jupyter reports both tests as skipped (aborted), not passed. */
    @BeforeEach
    void jupyterAndKernelInstalled() throws Exception {
        if (missing == null) missing = findMissing();
        assumeTrue(missing.isEmpty(), missing);
        if (!built) {
            // Compile lib/ and notebooks/support/ into the kernel now: a compile error is a failure, not a start-up timeout.
            TestSupport.Run build = TestSupport.jbang(300, "build", "notebooks/kernel.java");
            assertEquals(0, build.exitCode(), "notebooks/kernel.java does not build:\n" + build.stderr() + build.stdout());
            built = true;
        }
    }

    /** Empty when Jupyter with nbconvert and this checkout's kernel spec are installed; else the skip message. */
    private static String findMissing() throws Exception {
        Path root = TestSupport.repoRoot();
        if (!onPath("jupyter")) return SETUP;
        Path spec = root.resolve("notebooks/.kernel/kernels/sentinel-java/kernel.json");
        if (!Files.isRegularFile(spec)) return SETUP;
        // A spec written for another checkout would run that checkout's lib/.
        if (!Files.readString(spec).contains(root.resolve("jbang").toString())) return SETUP + " (the kernel spec is for another checkout)";
        Process p = new ProcessBuilder("jupyter", "nbconvert", "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) return SETUP + " (jupyter nbconvert is missing)";
        kernelDir = root.resolve("notebooks/.kernel");
        return "";
    }

    @Test
    void exploreFeaturesNotebookShowsTheSummaryAndPlots() throws Exception {
        Notebook nb = execute("01-explore-features.ipynb");
        String text = nb.streamText();
        assertTrue(text.contains("Summary") && text.contains("Count") && text.contains("Std. Dev"), "table summary missing:\n" + text);
        assertTrue(text.contains("26000 rows"), "the table should hold 20,000 training and 6,000 mix lines:\n" + text);
        assertTrue(nb.images().size() >= 6, "expected at least 6 plots, got " + nb.images().size());
        for (BufferedImage im : nb.images()) assertTrue(im.getWidth() >= 600 && im.getHeight() >= 300, "plot too small: " + im);
    }

    @Test
    void tuneContaminationNotebookRecommendsAValueInRange() throws Exception {
        Notebook nb = execute("02-tune-contamination.ipynb");
        String text = nb.streamText();
        Matcher m = Pattern.compile("Recommended contamination: ([0-9.]+)").matcher(text);
        assertTrue(m.find(), "no recommendation printed:\n" + text);
        double value = Double.parseDouble(m.group(1));
        assertTrue(value > 0 && value < 0.5, "recommended contamination out of (0, 0.5): " + value);
        assertTrue(text.contains("contamination: " + m.group(1)), "the config.yaml line should repeat the recommended value");
        assertTrue(text.contains("./jbang train.java --contamination " + m.group(1)), "the write-back command is missing");
        // The sweep re-implements the detector's decision for any cut; at the configured cut it must match Evaluation.
        Matcher same = Pattern.compile("sweep at the current settings: precision ([0-9.]+), recall ([0-9.]+) \\(Evaluation: ([0-9.]+), ([0-9.]+)\\)")
                .matcher(text);
        assertTrue(same.find(), "the sweep/Evaluation cross-check is missing:\n" + text);
        assertEquals(same.group(3) + " " + same.group(4), same.group(1) + " " + same.group(2), "the sweep disagrees with lib's Evaluation");
        assertTrue(nb.images().size() >= 5, "expected at least 5 plots, got " + nb.images().size());
    }

    /** Executes {@code name} into a temporary folder; retries once when the kernel fails to start (not on cell errors). */
    private static Notebook execute(String name) throws Exception {
        Path root = TestSupport.repoRoot();
        Path out = Files.createTempDirectory("sentinel-nb");
        String log = "";
        for (int attempt = 1; attempt <= 2; attempt++) {
            ProcessBuilder pb = new ProcessBuilder("jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.startup_timeout=60", "--ExecutePreprocessor.timeout=" + NOTEBOOK_TIMEOUT_SEC,
                    "--output-dir", out.toString(), name).directory(root.resolve("notebooks").toFile()).redirectErrorStream(true);
            String path = System.getenv("JUPYTER_PATH");
            pb.environment().put("JUPYTER_PATH", kernelDir + (path == null || path.isEmpty() ? "" : File.pathSeparator + path));
            Path logFile = out.resolve("nbconvert-" + attempt + ".log");
            pb.redirectOutput(logFile.toFile());
            Process p = pb.start();
            boolean done = p.waitFor(NOTEBOOK_TIMEOUT_SEC + 120, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            log = Files.readString(logFile);
            if (done && p.exitValue() == 0) return Notebook.read(out.resolve(name));
            boolean startup = !done || log.contains("Kernel didn't respond") || log.contains("Kernel died before replying");
            if (!startup) break;
        }
        return fail(name + " failed to execute:\n" + tail(log, 6000));
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }

    private static boolean onPath(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, cmd))) return true;
        }
        return false;
    }

    /** The outputs of an executed notebook: stream text and decoded images; fails on an error output or an unrun cell. */
    private record Notebook(List<String> streams, List<BufferedImage> images) {
        String streamText() {
            return String.join("", streams);
        }

        @SuppressWarnings("unchecked")
        static Notebook read(Path file) throws IOException {
            Map<String, Object> nb = (Map<String, Object>) Json.parse(Files.readString(file));
            List<String> streams = new ArrayList<>();
            List<BufferedImage> images = new ArrayList<>();
            for (Object c : (List<Object>) nb.get("cells")) {
                Map<String, Object> cell = (Map<String, Object>) c;
                if (!"code".equals(cell.get("cell_type"))) continue;
                assertNotNull(cell.get("execution_count"), "a code cell was not executed: " + cell.get("source"));
                for (Object o : (List<Object>) cell.get("outputs")) {
                    Map<String, Object> out = (Map<String, Object>) o;
                    assertNotEquals("error", out.get("output_type"), "cell error: " + out.get("ename") + ": " + out.get("evalue"));
                    if ("stream".equals(out.get("output_type"))) streams.add(Json.text(out.get("text")));
                    Map<String, Object> data = (Map<String, Object>) out.get("data");
                    if (data != null && data.get("image/png") != null) {
                        byte[] png = Base64.getMimeDecoder().decode(Json.text(data.get("image/png")));
                        BufferedImage im = ImageIO.read(new ByteArrayInputStream(png));
                        assertNotNull(im, "an image/png output is not a PNG");
                        images.add(im);
                    }
                }
            }
            return new Notebook(streams, images);
        }
    }

    /** Just enough JSON (objects, arrays, strings, numbers, literals) to read an .ipynb file, with jackson-core's parser. */
    private static final class Json {
        static Object parse(String s) throws IOException {
            try (JsonParser p = new JsonFactory().createParser(s)) {
                p.nextToken();
                return value(p);
            }
        }

        private static Object value(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT) {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, value(p));
                }
                return m;
            }
            if (t == JsonToken.START_ARRAY) {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(value(p));
                return l;
            }
            if (t == JsonToken.VALUE_STRING) return p.getText();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) return p.getNumberValue();
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) return p.getBooleanValue();
            return null;
        }

        /** nbformat stores multi-line text as a string or a list of lines. */
        @SuppressWarnings("unchecked")
        static String text(Object o) {
            return o instanceof List<?> l ? String.join("", (List<String>) l) : String.valueOf(o);
        }
    }
}
