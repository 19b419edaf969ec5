///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Sets up Jupyter for Sentinel's notebooks: Jupyter from the OS packages and the Java kernel with lib/ on its classpath.
//JAVA 17+

// Run it:   ./jbang notebooks/setup.java        (again at any time: it only does what is missing)
// It:       1. checks Jupyter (notebook + nbconvert); as root it installs Debian's packages, otherwise it prints
//              the exact `sudo apt-get install ...` command;
//           2. builds notebooks/kernel.java (rapaio's Java kernel io.github.padreati:rapaio-jupyter-kernel:3.0.1
//              from Maven Central, plus lib/ and notebooks/support/, with the versions lib's own //DEPS lines pin);
//           3. writes the kernel spec "sentinel-java": its command is this repo's ./jbang running kernel.java, so the
//              notebooks use the project's launcher, JDK and dependency cache, and pick up lib/ edits on kernel start.
// Then:     jupyter notebook notebooks/        and choose the kernel "Java (Sentinel)" (the notebooks already do).
// Exit:     0 ready; 1 something is missing (the message says what to run); 2 bad arguments.

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public class setup {
    static final String KERNEL_NAME = "sentinel-java";
    static final String DISPLAY_NAME = "Java (Sentinel)";
    /** Debian packages: the notebook server a newcomer opens, and what executes notebooks headless (the test, CI). */
    static final List<String> PACKAGES = List.of("jupyter-notebook", "jupyter-nbconvert", "python3-nbclient", "jupyter-client");
    static final String APT_COMMAND = "apt-get install -y --no-install-recommends " + String.join(" ", PACKAGES);

    public static void main(String... args) throws Exception {
        boolean check = false;
        for (String a : args) {
            switch (a) {
                case "--check" -> check = true;
                case "-h", "--help" -> {
                    System.out.println("Usage: ./jbang notebooks/setup.java [--check]\n"
                            + "Installs Jupyter (Debian packages, as root) and the \"" + DISPLAY_NAME + "\" kernel for notebooks/.\n"
                            + "  --check   only report what is missing; install nothing");
                    return;
                }
                default -> {
                    System.err.println("setup: unknown option " + a + " (try --help)");
                    System.exit(2);
                }
            }
        }
        System.exit(new setup(repoRoot()).run(check));
    }

    private final Path repo;

    setup(Path repo) {
        this.repo = repo;
    }

    int run(boolean check) throws IOException, InterruptedException {
        boolean jupyter = ensureJupyter(check);
        boolean kernel = ensureKernel(check);
        if (jupyter && kernel) {
            System.out.println("Ready. Open the notebooks with:  jupyter notebook " + repo.relativize(repo.resolve("notebooks")) + "/");
            System.out.println("(from " + repo + "; they use the kernel \"" + DISPLAY_NAME + "\")");
            return 0;
        }
        return 1;
    }

    // ---- Jupyter -------------------------------------------------------------------------------------------------

    boolean ensureJupyter(boolean check) throws IOException, InterruptedException {
        String missing = missingJupyter();
        if (missing == null) {
            System.out.println("Jupyter: found (notebook and nbconvert).");
            return true;
        }
        boolean apt = onPath("apt-get");
        if (check || !apt || !isRoot()) {
            System.out.println("Jupyter: " + missing + ".");
            if (apt) {
                System.out.println("  Install it with:  sudo " + APT_COMMAND);
            } else {
                System.out.println("  Install Jupyter Notebook and nbconvert with your OS packages (Debian/Ubuntu: "
                        + String.join(" ", PACKAGES) + "), or with: python3 -m pip install notebook nbconvert");
            }
            System.out.println("  then run again:   ./jbang notebooks/setup.java");
            return false;
        }
        System.out.println("Jupyter: " + missing + "; installing Debian's packages: " + String.join(" ", PACKAGES));
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        List<String> install = new ArrayList<>(List.of(APT_COMMAND.split(" ")));
        // On a fresh machine the package lists may be missing or stale; refresh them once and retry.
        if (exec(install, env, 900) != 0 && (exec(List.of("apt-get", "update"), env, 300) != 0 || exec(install, env, 900) != 0)) {
            System.out.println("Jupyter: apt-get failed (see above). Install it by hand with:  sudo " + APT_COMMAND);
            return false;
        }
        missing = missingJupyter();
        if (missing != null) {
            System.out.println("Jupyter: still " + missing + " after installing; check that /usr/bin is on PATH.");
            return false;
        }
        System.out.println("Jupyter: installed.");
        return true;
    }

    /** Null when `jupyter notebook` and `jupyter nbconvert` both run; else what is missing. */
    static String missingJupyter() throws IOException, InterruptedException {
        if (!onPath("jupyter")) return "not installed (no `jupyter` command)";
        // One Python start-up lists every installed component, which keeps a repeated run fast.
        Captured v = capture(List.of("jupyter", "--version"), 60);
        List<String> absent = new ArrayList<>();
        for (String component : List.of("notebook", "nbconvert", "nbclient", "jupyter_client")) {
            if (!v.out().matches("(?s).*\\b" + component + "\\s*:\\s*\\d.*")) absent.add(component);
        }
        return absent.isEmpty() ? null : "incomplete (missing " + String.join(", ", absent) + ")";
    }

    // ---- Kernel --------------------------------------------------------------------------------------------------

    boolean ensureKernel(boolean check) throws IOException, InterruptedException {
        Path script = repo.resolve("notebooks/kernel.java");
        if (!check) {
            // Resolves the kernel and libraries from Maven Central into JBang's cache and compiles lib/ now, so the first
            // kernel start in Jupyter does not spend its start-up timeout downloading.
            if (exec(List.of(repo.resolve("jbang").toString(), "--quiet", "build", script.toString()), Map.of(), 600) != 0) {
                System.out.println("Kernel: building notebooks/kernel.java failed (see above).");
                return false;
            }
        }
        String spec = kernelSpec();
        boolean ok = true;
        for (Path dir : List.of(repo.resolve("notebooks/.kernel/kernels/" + KERNEL_NAME), userKernelDir())) {
            Path file = dir.resolve("kernel.json");
            boolean current = Files.isRegularFile(file) && Files.readString(file).equals(spec);
            if (current) {
                System.out.println("Kernel: " + DISPLAY_NAME + " is installed at " + dir);
            } else if (check) {
                System.out.println("Kernel: " + dir + (Files.exists(file) ? " is out of date" : " is missing")
                        + "; run ./jbang notebooks/setup.java");
                ok = false;
            } else {
                Files.createDirectories(dir);
                Files.writeString(file, spec);
                System.out.println("Kernel: wrote " + DISPLAY_NAME + " to " + dir);
            }
        }
        Files.createDirectories(repo.resolve("notebooks/.kernel/mima_cache"));
        return ok;
    }

    /** The kernel spec: Jupyter starts ./jbang kernel.java with the connection file; cells run in that JVM. */
    String kernelSpec() {
        String jbang = repo.resolve("jbang").toString();
        String script = repo.resolve("notebooks/kernel.java").toString();
        String mima = repo.resolve("notebooks/.kernel/mima_cache").toString();
        return "{\n"
                + "  \"argv\": [" + json(jbang) + ", \"--quiet\", " + json(script) + ", \"{connection_file}\"],\n"
                + "  \"display_name\": " + json(DISPLAY_NAME) + ",\n"
                + "  \"language\": \"java\",\n"
                + "  \"interrupt_mode\": \"message\",\n"
                + "  \"env\": {\n"
                + "    \"RJK_CLASSPATH\": \"\",\n"
                + "    \"RJK_COMPILER_OPTIONS\": \"\",\n"
                + "    \"RJK_INIT_SCRIPT\": \"\",\n"
                + "    \"RJK_TIMEOUT_MILLIS\": \"-1\",\n"
                + "    \"RJK_MIMA_CACHE\": " + json(mima) + "\n"
                + "  },\n"
                + "  \"metadata\": {\"debugger\": false}\n"
                + "}\n";
    }

    /** Where `jupyter notebook` looks for the user's kernels on Linux (jupyter_core's jupyter_data_dir). */
    static Path userKernelDir() {
        String data = System.getenv("JUPYTER_DATA_DIR");
        Path base;
        if (data != null && !data.isBlank()) {
            base = Path.of(data);
        } else {
            String xdg = System.getenv("XDG_DATA_HOME");
            // Jupyter expands ~ from $HOME; Java's user.home comes from the password file and may differ.
            String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
            base = xdg != null && !xdg.isBlank() ? Path.of(xdg, "jupyter") : Path.of(home, ".local/share/jupyter");
        }
        return base.resolve("kernels").resolve(KERNEL_NAME);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static Path repoRoot() {
        for (Path q = Path.of("").toAbsolutePath(); q != null; q = q.getParent()) {
            if (Files.isRegularFile(q.resolve("jbang")) && Files.isRegularFile(q.resolve("notebooks/kernel.java"))) return q;
        }
        // Started from elsewhere: JBang sets jbang.source to this file's location.
        String source = System.getProperty("jbang.source");
        if (source != null) return Path.of(source).toAbsolutePath().getParent().getParent();
        throw new IllegalStateException("run ./jbang notebooks/setup.java from inside the Sentinel checkout");
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }

    record Captured(int exit, String out) {}

    static Captured capture(List<String> cmd, long timeoutSec) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Captured(-1, "");
        }
        return new Captured(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static int exec(List<String> cmd, Map<String, String> env, long timeoutSec) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            System.out.println("(" + String.join(" ", cmd) + " took longer than " + timeoutSec + " s and was stopped)");
            return -1;
        }
        return p.exitValue();
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
