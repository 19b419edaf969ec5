// StdinSourceTest.java -- lines from a real pipe: whole lines across pipe writes, stdin:N positions, the same cutting rules.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sentinel.TailHarness.Running;

class StdinSourceTest {
    @Test
    void linesWrittenToAPipeInPiecesArriveWholeWithLineNumbers() throws Exception {
        // a real process writing to a real pipe, splitting lines across writes with pauses between them
        Process p = new ProcessBuilder("sh", "-c",
                "printf 'n=0 first\\r\\nn=1 sec'; sleep 0.2; printf 'ond\\n\\nn=3 '; sleep 0.2; printf 'last'").start();
        Running r = Running.of(new StdinSource(p.getInputStream(), 65536));
        r.join(Duration.ofSeconds(10));
        r.close();
        assertEquals(List.of("n=0 first", "n=1 second", "", "n=3 last"), r.lines());
        assertEquals(List.of("stdin:1", "stdin:2", "stdin:3", "stdin:4"), r.positions());
    }

    @Test
    void longLinesAreCutAndBadBytesReplacedLikeTheTailer() throws Exception {
        byte[] in = "0123456789ABCDEF\nok\u00e9\n\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        new StdinSource(new ByteArrayInputStream(in), 10).run((line, pos) -> lines.add(line));
        assertEquals(List.of("0123456789 [truncated 6 bytes]", "ok\ufffd", "\ufffd"), lines);
    }

    @Test
    void closeFromTheSinkStopsAfterTheLineInHand() throws Exception {
        StdinSource s = new StdinSource(new ByteArrayInputStream("a\nb\nc\nd\n".getBytes(StandardCharsets.UTF_8)), 100);
        List<String> lines = new ArrayList<>();
        s.run((line, pos) -> {
            lines.add(line);
            if (lines.size() == 2) s.close();
        });
        assertEquals(List.of("a", "b"), lines);
    }
}
