package sentinel;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void plainTextIsUnchanged() {
        String s = "10.0.0.1 - - [27/Nov/2025] \"GET /home?q=ü HTTP/1.1\" 200 500";
        assertSame(s, Printable.escape(s));
    }

    @Test
    void terminalEscapesAndControlCharactersAreNeutralised() {
        String hostile = "GET /\u001b[2J\u001b]0;pwned\u0007 \r\n\u0000\u009b";
        String e = Printable.escape(hostile);
        assertEquals("GET /\\x1b[2J\\x1b]0;pwned\\x07 \\x0d\\x0a\\x00\\x9b", e);
        assertTrue(e.chars().allMatch(c -> c >= 0x20 && c != 0x7f));
    }

    @Test
    void bidiOverridesAreShown() {
        assertEquals("a\\u{202e}b", Printable.escape("a\u202eb"));
    }

    @Test
    void excerptIsBoundedAndMarked() {
        String e = Printable.excerpt("x".repeat(1000), 20);
        assertEquals(21, e.length());
        assertTrue(e.endsWith("…"));
    }

    @Test
    void printableAsciiCheckAgreesWithEscapeOnEveryByteAndPosition() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[rnd.nextInt(0, 40)];
            for (int i = 0; i < b.length; i++) b[i] = (byte) rnd.nextInt(0x20, 0x7f);
            // one odd byte (any of the 256) at a random place, sometimes none
            if (b.length > 0 && rnd.nextBoolean()) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            int from = b.length == 0 ? 0 : rnd.nextInt(b.length + 1), to = from + rnd.nextInt(b.length - from + 1);
            boolean expected = true;
            for (int i = from; i < to; i++) expected &= (b[i] & 0xff) >= 0x20 && (b[i] & 0xff) < 0x7f;
            assertEquals(expected, Printable.printableAscii(b, from, to), () -> java.util.Arrays.toString(b) + " " + from + ".." + to);
            if (from == 0 && to == b.length && expected) {
                String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
                assertEquals(s, Printable.escape(s), "what the check passes, escape leaves alone");
            }
        }
    }
}
