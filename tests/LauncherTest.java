package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./jbang launcher's fast path: the java command JBang printed for a script is reused while the script and its
 * //SOURCES are unchanged, with the script's arguments passed through exactly. Runs a copy of the launcher in a
 * project of its own (a script with one sourced class), so the repo's cache is not touched.
 */
class LauncherTest {
    private static final String JAR = "jbang-cli-0.132.1-all.jar";
    @TempDir Path project;

    @BeforeEach
    void project() throws Exception {
        Path root = TestSupport.repoRoot();
        // the bundled JBang jar, fetched by the repo's own launcher if this machine has not got it yet
        Path jar = root.resolve(".cache").resolve(JAR);
        if (!Files.exists(jar)) {
            assertEquals(0, launch(root.resolve("jbang"), root, "version").exit());
        }
        Files.copy(root.resolve("jbang"), project.resolve("jbang"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.createDirectories(project.resolve(".cache"));
        Files.createSymbolicLink(project.resolve(".cache").resolve(JAR), jar);
        Files.writeString(project.resolve("echo.java"), """
                ///usr/bin/env jbang "$0" "$@" ; exit $?
                //SOURCES util/*.java
                public class echo {
                    public static void main(String... args) {
                        for (String a : args) System.out.println("[" + a + "]");
                        System.out.println(util.Version.text());
                    }
                }
                """);
        version("v1");
    }

    /** The link to the shared jar goes first, so the temp folder's clean-up never has to follow it out. */
    @AfterEach
    void unlinkJar() throws IOException {
        Files.deleteIfExists(project.resolve(".cache").resolve(JAR));
    }

    private void version(String v) throws IOException {
        Files.createDirectories(project.resolve("util"));
        Files.writeString(project.resolve("util/Version.java"), "package util; public class Version { public static String text() { return \"" + v + "\"; } }\n");
    }

    record Out(int exit, String stdout, String stderr) {}

    private static Out launch(Path launcher, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("SENTINEL_BUNDLED_JBANG", "1"); // the fast path is the bundled JBang's
        pb.environment().remove("SENTINEL_NO_LAUNCH_CACHE");
        Path out = Files.createTempFile("launcher-out", ".txt"), err = Files.createTempFile("launcher-err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("launcher timed out: " + cmd);
        }
        Out o = new Out(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return o;
    }

    private Out run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--quiet", "echo.java"));
        all.addAll(List.of(args));
        return launch(project.resolve("jbang"), project, all.toArray(String[]::new));
    }

    private List<Path> entries() throws IOException {
        Path dir = project.resolve(".cache/launch");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void argumentsPassThroughExactlyWithAndWithoutTheCachedCommand() throws Exception {
        String[] tricky = {"a b", "it's", "$HOME", "\"q\"", "", "*", ";ls", "--help", "ünï"};
        String expected = String.join("", Stream.of(tricky).map(a -> "[" + a + "]\n").toList()) + "v1\n";
        Out first = run(tricky);
        assertEquals(0, first.exit(), first.stderr());
        assertEquals(expected, first.stdout());
        assertEquals(1, entries().size(), "the command is remembered once");
        Out second = run(tricky);
        assertEquals(0, second.exit(), second.stderr());
        assertEquals(expected, second.stdout());
    }

    @Test
    void aRememberedCommandRunsWithoutJBangAndAnEditRebuilds() throws Exception {
        assertEquals("[x]\nv1\n", run("x").stdout());
        // without JBang's jar the only way to run is the remembered command
        Path jar = project.resolve(".cache").resolve(JAR);
        Path target = Files.readSymbolicLink(jar);
        Files.delete(jar);
        Out cached = run("y");
        assertEquals(0, cached.exit(), cached.stderr());
        assertEquals("[y]\nv1\n", cached.stdout());
        Files.createSymbolicLink(jar, target);
        // a sourced file changes: JBang builds again and the new code runs
        version("v2");
        Out edited = run("z");
        assertEquals(0, edited.exit(), edited.stderr());
        assertEquals("[z]\nv2\n", edited.stdout());
        assertEquals(1, entries().size(), "the older entry of the same script is replaced");
        // a new file matched by //SOURCES changes the key too
        Path before = entries().get(0);
        Files.writeString(project.resolve("util/Extra.java"), "package util; class Extra {}\n");
        Out added = run("w");
        assertEquals("[w]\nv2\n", added.stdout(), added.stderr());
        assertEquals(1, entries().size());
        assertNotEquals(before, entries().get(0), "a changed set of sources is a new key");
    }

    @Test
    void aClearedBuildCacheIsNoticedAndRebuilt() throws Exception {
        assertEquals("[x]\nv1\n", run("x").stdout());
        String command = Files.readString(entries().get(0));
        String classpath = command.substring(command.indexOf(" -classpath ") + 12).split(" ")[0];
        Path appJar = Path.of(classpath.split(":")[0]);
        assertTrue(Files.exists(appJar), command);
        Files.delete(appJar);
        Out again = run("y");
        assertEquals(0, again.exit(), again.stderr());
        assertEquals("[y]\nv1\n", again.stdout());
        assertTrue(Files.exists(appJar), "JBang built the script again");
    }

    @Test
    void optOutLeavesNoEntry() throws Exception {
        List<String> cmd = List.of(project.resolve("jbang").toString(), "--quiet", "echo.java", "q");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile());
        pb.environment().put("SENTINEL_BUNDLED_JBANG", "1");
        pb.environment().put("SENTINEL_NO_LAUNCH_CACHE", "1");
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(180, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.endsWith("[q]\nv1\n"), out);
        assertEquals(List.of(), entries());
    }
}
