// LogTailerTest.java -- real files, real renames, real truncation: every line comes out once, whole, in order.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sentinel.TailHarness.assertExactlyOnce;
import static sentinel.TailHarness.shift;
import static sentinel.TailHarness.write;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sentinel.TailHarness.Running;

class LogTailerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("access.log");
    }

    private static TailSettings settings(Path log) {
        return new TailSettings(log, Duration.ofMillis(100), 65536, null);
    }

    private static FileOutputStream append(Path p) throws IOException {
        return new FileOutputStream(p.toFile(), true);
    }

    private static void assertInOrder(List<Integer> seen, int from, int to) {
        assertExactlyOnce(seen, from, to);
        assertEquals(IntStream.range(from, to).boxed().toList(), seen, "lines out of order");
    }

    @Test
    void hundredRenameAndCreateRotationsDuringSteadyWritesLoseAndRepeatNothing() throws Exception {
        Path log = log();
        Files.createFile(log);
        int n = 0;
        try (Running r = Running.tail(settings(log), true, false)) {
            FileOutputStream out = append(log);
            write(out, n, ++n);
            r.awaitLines(1, WAIT); // it follows the file before the first rotation
            for (int round = 0; round < 100; round++) {
                for (int burst = 0; burst < 4; burst++, n += 10) {
                    write(out, n, n + 10);
                    Thread.sleep(1);
                }
                shift(log, 101); // logrotate's `rotate 101`: however far behind the tailer falls, nothing is deleted
                // even rounds: logrotate's `create` makes the new file while the writer still appends to the old one
                if (round % 2 == 0) Files.createFile(log);
                write(out, n, n + 3);
                n += 3;
                out.close();
                out = append(log);
            }
            write(out, n, n + 10);
            n += 10;
            out.close();
            r.awaitLines(n, WAIT);
            Thread.sleep(200); // room for a repeated line to show up
            assertInOrder(r.numbers(), 0, n);
            assertTrue(r.noticed("log rotated: finishing access.log.1"), r.notices().toString());
        }
    }

    @Test
    void copytruncateRoundsLoseAndRepeatNothing() throws Exception {
        Path log = log();
        int n = 0;
        try (FileOutputStream out = append(log); Running r = Running.tail(settings(log), true, false)) {
            write(out, n, ++n);
            r.awaitLines(1, WAIT); // it follows the file before the first rotation
            for (int round = 0; round < 20; round++) {
                for (int burst = 0; burst < 5; burst++, n += 10) {
                    write(out, n, n + 10);
                    Thread.sleep(1);
                }
                copyTruncate(log, out, 21); // keeps every copy: a stalled tailer can still find them all
                Thread.sleep(30);
            }
            write(out, n, n + 10);
            n += 10;
            r.awaitLines(n, WAIT);
            Thread.sleep(200);
            assertInOrder(r.numbers(), 0, n);
            assertTrue(r.noticed("copytruncate"), r.notices().toString());
        }
    }

    /** logrotate's copytruncate, keeping {@code keep} copies; the writer appends with O_APPEND, so it continues at 0. */
    static void copyTruncate(Path log, FileOutputStream out, int keep) throws IOException {
        for (int k = keep - 1; k >= 1; k--) {
            Path from = log.resolveSibling("access.log." + k);
            if (Files.exists(from)) Files.move(from, log.resolveSibling("access.log." + (k + 1)), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(log, log.resolveSibling("access.log.1"));
        out.getChannel().truncate(0);
    }

    @Test
    void renameRotationsWhileTheSinkLagsSeveralGenerationsBehindLoseNothing() throws Exception {
        Path log = log();
        Files.createFile(log);
        int n = 0;
        try (Running r = Running.lagging(settings(log), 20)) {
            FileOutputStream out = append(log);
            write(out, n, n + 1);
            r.awaitLines(1, WAIT);
            for (int round = 0; round < 8; round++, n += 50) {
                write(out, n + 1, n + 51);
                out.close();
                shift(log, 10);
                out = append(log);
                Thread.sleep(5);
            }
            write(out, n + 1, n + 10);
            n += 10;
            out.close();
            r.awaitLines(n, WAIT);
            Thread.sleep(200);
            assertInOrder(r.numbers(), 0, n);
            assertTrue(r.noticed("rotated after the file before it"), r.notices().toString());
        }
    }

    @Test
    void copytruncateWhileTheSinkLagsSeveralCopiesBehindLosesNothing() throws Exception {
        Path log = log();
        int n = 50;
        try (FileOutputStream out = append(log); Running r = Running.lagging(settings(log), 20)) {
            write(out, 0, n);
            r.awaitLines(1, WAIT);
            for (int round = 0; round < 6; round++, n += 50) {
                copyTruncate(log, out, 8);
                Thread.sleep(5);
                write(out, n, n + 50);
            }
            r.awaitLines(n, WAIT);
            Thread.sleep(200);
            assertInOrder(r.numbers(), 0, n);
            assertTrue(r.noticed("rotated after the file before it"), r.notices().toString());
        }
    }

    @Test
    void linesSplitAcrossTwoWritesAtEveryBytePositionComeOutWhole() throws Exception {
        Path log = log();
        Files.createFile(log);
        String format = "n=%d GET /caf\u00e9/\u2713 \"Mozilla/5.0\" 200";
        int len = (String.format(format, 100) + "\r\n").getBytes(StandardCharsets.UTF_8).length;
        List<String> expected = new ArrayList<>();
        List<String> positions = new ArrayList<>();
        try (FileOutputStream out = append(log); Running r = Running.tail(settings(log), true, false)) {
            for (int cut = 0; cut <= len; cut++) {
                String text = String.format(format, 100 + cut);
                byte[] b = (text + "\r\n").getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, cut);
                Thread.sleep(3); // long enough for the tailer to wake up and see the half line
                out.write(b, cut, b.length - cut);
                expected.add(text);
                positions.add("access.log:" + (long) cut * len);
            }
            r.awaitLines(expected.size(), WAIT);
            Thread.sleep(100);
            assertEquals(expected, r.lines());
            assertEquals(positions, r.positions());
        }
    }

    @Test
    void megabyteLineIsCutAndMarkedAndTheFollowingLinesSurvive() throws Exception {
        Path log = log();
        Files.createFile(log);
        byte[] chunk = "x".repeat(65536).getBytes(StandardCharsets.UTF_8);
        try (FileOutputStream out = append(log); Running r = Running.tail(settings(log), true, false)) {
            write(out, 0, 1);
            out.write("n=1 ".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 16; i++) {
                out.write(chunk); // arrives in pieces, as a writer flushing its buffer would
                Thread.sleep(2);
            }
            out.write('\n');
            write(out, 2, 10);
            r.awaitLines(10, WAIT);
            int total = 4 + 16 * 65536;
            assertEquals("n=1 " + "x".repeat(65536 - 4) + " [truncated " + (total - 65536) + " bytes]", r.lines().get(1));
            assertInOrder(r.numbers(), 0, 10);
            assertEquals("access.log:" + TailHarness.bytes(0).length, r.positions().get(1));
        }
    }

    @Test
    void bytesThatAreNotUtf8AreReplacedWithoutStoppingTheTail() throws Exception {
        Path log = log();
        Files.createFile(log);
        byte[] bad = {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, '(', (byte) 0xe2, (byte) 0x82, (byte) 0xc0, (byte) 0xaf};
        try (FileOutputStream out = append(log); Running r = Running.tail(settings(log), true, false)) {
            for (int n = 0; n < 50; n++) {
                out.write(("n=" + n + " bad:").getBytes(StandardCharsets.UTF_8));
                out.write(bad);
                out.write(" end\n".getBytes(StandardCharsets.UTF_8));
                write(out, 1000 + n, 1001 + n);
            }
            r.awaitLines(100, WAIT);
            List<Integer> odd = new ArrayList<>();
            for (int i = 0; i < 100; i += 2) {
                String line = r.lines().get(i);
                assertTrue(line.startsWith("n=" + i / 2 + " bad:\ufffd") && line.endsWith("(\ufffd\ufffd\ufffd end"), line);
                odd.add(TailHarness.number(r.lines().get(i + 1)));
            }
            assertInOrder(odd, 1000, 1050);
        }
    }

    @Test
    void fileDeletedAndRecreatedIsFollowedAfterAPause() throws Exception {
        Path log = log();
        Files.createFile(log);
        int n = 0;
        try (Running r = Running.tail(settings(log), true, false)) {
            try (FileOutputStream out = append(log)) {
                write(out, n, ++n);
            }
            r.awaitLines(1, WAIT); // it follows the file before the first deletion
            for (int cycle = 0; cycle < 4; cycle++, n += 100) {
                try (FileOutputStream out = append(log)) {
                    for (int k = n; k < n + 100; k += 20) {
                        write(out, k, k + 20);
                        Thread.sleep(1);
                    }
                }
                Files.delete(log);
                Thread.sleep(cycle == 1 ? 1300 : 200); // one pause long enough to be reported
            }
            try (FileOutputStream out = append(log)) {
                write(out, n, n + 10);
            }
            n += 10;
            r.awaitLines(n, WAIT);
            Thread.sleep(200);
            assertInOrder(r.numbers(), 0, n);
            assertTrue(r.noticed("disappeared"), r.notices().toString());
        }
    }

    @Test
    void withoutStateFileStartsAfterTheLastCompleteLineAndFollows() throws Exception {
        Path log = log();
        byte[] half = TailHarness.bytes(50);
        try (FileOutputStream out = append(log)) {
            write(out, 0, 50);
            out.write(half, 0, 10);
            try (Running r = Running.tail(settings(log), false, false)) {
                for (int i = 0; i < 500 && !r.noticed("following"); i++) Thread.sleep(10);
                int end = IntStream.range(0, 50).map(k -> TailHarness.bytes(k).length).sum(); // of the last whole line
                assertTrue(r.noticed("following " + log + " from offset " + end), r.notices().toString());
                out.write(half, 10, half.length - 10);
                write(out, 51, 60);
                r.awaitLines(10, WAIT);
                Thread.sleep(100);
                assertInOrder(r.numbers(), 50, 60);
            }
        }
    }

    @Test
    void waitsForAMissingFileAndItsDirectoryThenReadsFromTheFirstLine() throws Exception {
        Path log = dir.resolve("later/access.log");
        try (Running r = Running.tail(settings(log), false, false)) {
            for (int i = 0; i < 100 && !r.noticed("waiting for"); i++) Thread.sleep(20);
            assertTrue(r.noticed("waiting for " + log), r.notices().toString());
            Files.createDirectories(log.getParent());
            try (FileOutputStream out = append(log)) {
                write(out, 0, 20);
            }
            r.awaitLines(20, WAIT);
            assertInOrder(r.numbers(), 0, 20);
        }
    }

    @Test
    void unterminatedLineWaitsForItsNewlineThenIsFlushedAfterTheTimeout() throws Exception {
        Path log = log();
        Files.createFile(log);
        try (FileOutputStream out = append(log);
             Running r = Running.tail(settings(log), true, false, Duration.ofMillis(400))) {
            write(out, 0, 5);
            out.write("n=5 no newline".getBytes(StandardCharsets.UTF_8));
            r.awaitLines(5, WAIT);
            Thread.sleep(150);
            assertEquals(5, r.lines().size(), "a partial line must wait");
            r.awaitLines(6, WAIT);
            assertEquals("n=5 no newline", r.lines().get(5));
            write(out, 6, 8);
            r.awaitLines(8, WAIT);
            assertInOrder(r.numbers(), 0, 8);
        }
    }

    @Test
    void onceModeReadsToTheEndIncludingAnUnterminatedLastLineAndReturns() throws Exception {
        Path log = log();
        try (FileOutputStream out = append(log)) {
            write(out, 0, 1000);
            out.write("n=1000 last".getBytes(StandardCharsets.UTF_8));
        }
        Running r = Running.tail(settings(log), true, true);
        r.join(WAIT);
        r.close();
        assertInOrder(r.numbers(), 0, 1001);
        assertEquals("n=1000 last", r.lines().get(1000));
    }

    @Test
    void onceModeRejectsAMissingFile() throws Exception {
        Running r = Running.tail(settings(dir.resolve("nope.log")), true, true);
        r.join(WAIT);
        SentinelException e = assertInstanceOf(SentinelException.class, r.failure());
        assertEquals(ExitCodes.BAD_INPUT, e.status());
        assertTrue(e.getMessage().contains("nope.log"), e.getMessage());
    }
}
