///usr/bin/env jbang "$0" "$@" ; exit $?
//DESCRIPTION Runs Sentinel's JUnit 5 tests and prints "N passed, N failed, N skipped".
//JAVA 17+
//DEPS org.junit.platform:junit-platform-console-standalone:6.1.3
//SOURCES ../lib/*.java
//SOURCES *Test.java
//SOURCES support/*.java
//MAIN run

// Run all tests:            ./jbang tests/run.java
// Run some (a class regex): ./jbang tests/run.java '.*ParserTest'
// Prints the JUnit tree, then one closing line such as "42 passed, 0 failed, 1 skipped".

import java.io.PrintWriter;
import java.nio.file.Path;
import org.junit.platform.console.ConsoleLauncher;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

public class run {
    public static void main(String[] args) throws Exception {
        String classes = args.length > 0 ? args[0] : ".*Test";
        String self = Path.of(run.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        var result = ConsoleLauncher.run(out, err,
                "execute", "--disable-banner", "--details=tree", "--disable-ansi-colors",
                "--fail-if-no-tests", "--include-engine=junit-jupiter",
                "--scan-classpath", self, "--include-classname", classes);
        TestExecutionSummary s = (TestExecutionSummary) result.getValue().orElseThrow();
        long skipped = s.getTestsSkippedCount() + s.getTestsAbortedCount();
        out.printf("%d passed, %d failed, %d skipped%n",
                s.getTestsSucceededCount(), s.getTestsFailedCount(), skipped);
        out.flush();
        System.exit(result.getExitCode());
    }
}
