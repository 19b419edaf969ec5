// LineSplitterTest.java -- line framing: byte offsets, CRLF, the length cap on a character boundary, chunked input.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
    /** A line and its byte offsets, as the splitter reported it. */
    record Line(String text, long start, long end) {}

    /** Splits {@code input}, handed over {@code chunk} bytes per read, flushing the unterminated tail at the end. */
    private static List<Line> split(byte[] input, int max, int chunk) throws Exception {
        LineSplitter s = new LineSplitter(max);
        s.reset(0);
        List<Line> out = new ArrayList<>();
        LineSplitter.Handler h = (text, start, end) -> out.add(new Line(text, start, end));
        InputStream in = new ByteArrayInputStream(input) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
        while (s.read(in) >= 0) s.drain(h);
        s.flushPartial(h);
        return out;
    }

    private static List<Line> split(String input, int max, int chunk) throws Exception {
        return split(input.getBytes(StandardCharsets.UTF_8), max, chunk);
    }

    @Test
    void offsetsCountEveryByteIncludingTerminatorsAndTheTailIsFlushed() throws Exception {
        for (int chunk : new int[] {1, 2, 3, 1 << 20}) {
            assertEquals(List.of(new Line("ab", 0, 4), new Line("", 4, 5), new Line("cd", 5, 8), new Line("tail", 8, 12)),
                    split("ab\r\n\ncd\ntail", 100, chunk), "chunk " + chunk);
        }
    }

    @Test
    void lineOfExactlyTheLimitIsWholeAndOneByteMoreIsCutAndMarked() throws Exception {
        assertEquals(List.of(new Line("12345678", 0, 10), new Line("12345678 [truncated 1 bytes]", 10, 20)),
                split("12345678\r\n123456789\n", 8, 3));
    }

    @Test
    void cutNeverEndsInHalfACharacter() throws Exception {
        // 'é' is two bytes at offsets 4 and 5: a cut at 5 bytes keeps "abcd" and counts the rest as dropped
        assertEquals("abcd [truncated 4 bytes]", split("abcd\u00e9fg\n", 5, 100).get(0).text());
        assertEquals("abcd [truncated 4 bytes]", split("abcd\u00e9fg\n", 5, 1).get(0).text());
        assertEquals("abc\u2713 [truncated 1 bytes]", split("abc\u2713x\r\n", 6, 2).get(0).text());
    }

    @Test
    void longLineSpanningManyReadsIsSkippedWithOnlyItsHeadKept() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("head".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 3_000_000; i++) b.write('y');
        b.write("\r\nnext\n".getBytes(StandardCharsets.UTF_8));
        for (int chunk : new int[] {4093, 1 << 20}) {
            List<Line> lines = split(b.toByteArray(), 1000, chunk);
            assertEquals(new Line("head" + "y".repeat(996) + " [truncated 2999004 bytes]", 0, 3_000_006),
                    lines.get(0), "chunk " + chunk);
            assertEquals(new Line("next", 3_000_006, 3_000_011), lines.get(1));
        }
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() throws Exception {
        byte[] in = {'o', 'k', (byte) 0xff, ' ', (byte) 0xc3, '\n', (byte) 0xe2, (byte) 0x82, '\n'};
        List<Line> lines = split(in, 100, 2);
        assertEquals("ok\ufffd \ufffd", lines.get(0).text());
        assertEquals("\ufffd", lines.get(1).text());
        assertTrue(lines.stream().allMatch(l -> l.end() > l.start()));
    }
}
