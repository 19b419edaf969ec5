// TailProbe.java -- a process that follows a log with a state file and prints each line, for kill-and-restart tests.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A separate JVM that follows LOG like detect does, checkpointing to STATE, and prints {@code <line>\t<position>}
 * for each line, flushed before the line counts as processed. SIGTERM closes the tailer through a shutdown hook
 * (clean exit, final checkpoint); SIGKILL is the crash being tested. Its entry point is not called {@code main}:
 * JBang would take a second main in the test sources as the test runner's main class. A one-line launcher class
 * is compiled into the test's temporary directory instead.
 */
public final class TailProbe {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TailProbe() {}

    /** The probe process's body: {@code LOG STATE [--from-start]}. */
    public static void follow(String[] args) throws Exception {
        boolean fromStart = args.length > 2 && args[2].equals("--from-start");
        TailSettings s = new TailSettings(Path.of(args[0]), Duration.ofMillis(200), 65536, Path.of(args[1]));
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
        LogTailer tailer = new LogTailer(s, fromStart, false, m -> System.err.println("notice: " + m));
        Runtime.getRuntime().addShutdownHook(new Thread(tailer::close));
        tailer.run((line, position) -> {
            out.print(line);
            out.print('\t');
            out.println(position);
            out.flush();
        });
        out.flush();
    }

    /** Starts a probe process on the test's own classpath, reading from the start when there is no checkpoint. */
    public static Handle start(Path log, Path state) throws Exception {
        String cp = classpath() + File.pathSeparator + launcher(log.resolveSibling("probe-launcher"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process proc = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cp,
                "TailProbeLauncher", log.toString(), state.toString(), "--from-start")
                .redirectError(ProcessBuilder.Redirect.appendTo(log.resolveSibling("probe-stderr.txt").toFile())).start();
        return new Handle(proc);
    }

    private static String classpath() throws Exception {
        String self = Path.of(TailProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        return System.getProperty("java.class.path") + File.pathSeparator + self;
    }

    /** Compiles (once per directory) {@code TailProbeLauncher}, whose main calls {@link #follow}. */
    private static Path launcher(Path classes) throws Exception {
        if (Files.exists(classes.resolve("TailProbeLauncher.class"))) return classes;
        Files.createDirectories(classes);
        Path src = classes.resolve("TailProbeLauncher.java");
        Files.writeString(src, "public class TailProbeLauncher { public static void main(String[] a) throws Exception {"
                + " sentinel.TailProbe.follow(a); } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) fail("the probe launcher needs a JDK (no system Java compiler in " + System.getProperty("java.home") + ")");
        int rc = javac.run(null, null, null, "-cp", classpath(), "-d", classes.toString(), src.toString());
        if (rc != 0) fail("could not compile the probe launcher (javac exit " + rc + ")");
        return classes;
    }

    /** A running probe and what it printed: line numbers (see {@link TailHarness#line}), positions, offsets. */
    public static final class Handle {
        public final List<Integer> numbers = new ArrayList<>();
        public final List<String> positions = new ArrayList<>();
        public final List<Long> offsets = new ArrayList<>();
        /** Set by the test: the checkpoint offset found after this run ended. */
        public long checkpointOffset;
        private final Process proc;
        private final Thread reader;

        private Handle(Process proc) {
            this.proc = proc;
            this.reader = new Thread(this::read, "probe-reader");
            reader.start();
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    int tab = l.lastIndexOf('\t');
                    String pos = l.substring(tab + 1);
                    synchronized (this) {
                        numbers.add(TailHarness.number(l.substring(0, tab)));
                        positions.add(pos);
                        offsets.add(Long.parseLong(pos.substring(pos.lastIndexOf(':') + 1)));
                        notifyAll();
                    }
                }
            } catch (Exception e) {
                // killed mid-line: what was read so far is what it printed
            }
        }

        /** Waits until it printed at least {@code n} lines. */
        public synchronized void awaitLines(int n) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (numbers.size() < n) {
                if (System.nanoTime() > deadline || !proc.isAlive()) fail("probe printed " + numbers.size() + " of " + n + " lines");
                wait(20);
            }
        }

        /** Waits until the last line it printed is number {@code n}. */
        public synchronized void awaitLast(int n) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (numbers.isEmpty() || numbers.get(numbers.size() - 1) != n) {
                if (System.nanoTime() > deadline || !proc.isAlive()) fail("probe never printed line " + n);
                wait(20);
            }
        }

        /** SIGKILL ({@code kill}) or SIGTERM, then waits for the exit and for its output to be read. */
        public void stop(boolean kill) throws InterruptedException {
            if (kill) proc.destroyForcibly(); else proc.destroy();
            assertTrue(proc.waitFor(10, TimeUnit.SECONDS), "probe did not exit");
            reader.join(5000);
        }
    }
}
