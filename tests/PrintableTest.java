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
}
