// TestSupport.java -- shared helpers for tests: where the repo is, and running scripts as real processes.
package sentinel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Locates the checkout and ../shared, and runs the repo's scripts through ./jbang as separate processes. */
public final class TestSupport {
    private TestSupport() {}

    /** The result of a finished process. */
    public record Run(int exitCode, String stdout, String stderr) {}

    /** The repository root (the folder holding the ./jbang launcher). */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("jbang")) && Files.isDirectory(q.resolve("lib"))) return q;
        }
        throw new IllegalStateException("run the tests from inside the Sentinel checkout (no ./jbang found above " + p + ")");
    }

    /** ../shared/data/nginx-real beside the checkout, or null when it is absent. */
    public static Path nginxReal() {
        Path d = repoRoot().getParent().resolve("shared/data/nginx-real");
        return Files.isDirectory(d) ? d : null;
    }

    /** Runs {@code ./jbang <script> args...} in {@code dir}, feeding {@code stdin} (may be null), bounded by {@code timeoutSec}. */
    public static Run jbang(Path dir, String stdin, Map<String, String> env, long timeoutSec, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(repoRoot().resolve("jbang").toString());
        cmd.add("--quiet");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("SLACK_WEBHOOK_URL");
        pb.environment().put("NO_COLOR", "1");
        if (env != null) pb.environment().putAll(env);
        Path out = Files.createTempFile("sentinel-out", ".txt");
        Path err = Files.createTempFile("sentinel-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process proc = pb.start();
        if (stdin != null) {
            try (var os = proc.getOutputStream()) {
                os.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!proc.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            proc.descendants().forEach(ProcessHandle::destroyForcibly);
            proc.destroyForcibly();
            throw new AssertionError("timed out after " + timeoutSec + " s: " + cmd + "\nstderr: " + Files.readString(err));
        }
        Run r = new Run(proc.exitValue(), Files.readString(out), Files.readString(err));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** Runs a repo script from the repo root with no stdin. */
    public static Run jbang(long timeoutSec, String... args) throws IOException, InterruptedException {
        return jbang(repoRoot(), null, null, timeoutSec, args);
    }
}
