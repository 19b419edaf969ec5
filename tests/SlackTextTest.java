// SlackTextTest.java -- attacker text becomes inert, control-free and size-bounded Slack text.
package sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlackTextTest {

    @Test
    void escapesAmpersandAndAngleBracketsAsSlackRequires() {
        assertEquals("a &amp; &lt;b&gt; c", SlackText.plain("a & <b> c", 100));
    }

    @Test
    void mentionsAndDisguisedLinksArriveAsInertText() {
        String s = SlackText.code("<!channel> <!here> <@U123> <http://evil|click>", 500);
        assertFalse(s.contains("<") || s.contains(">"), s);
        assertTrue(s.contains("&lt;!channel&gt;") && s.contains("&lt;!here&gt;") && s.contains("&lt;@\u2060U123&gt;")
                && s.contains("&lt;http://evil|click&gt;"), s);
    }

    @Test
    void stripsControlAndBidiCharactersAndFlattensLineBreaks() {
        assertEquals("ab[31mcd e", SlackText.plain("a\u0000b\u001b[31mc\u202Ed\ne\u200B", 100));
    }

    @Test
    void replacesLoneSurrogates() {
        assertEquals("x\uFFFDy", SlackText.plain("x\uD800y", 100));
    }

    @Test
    void cutsWithEllipsisWithoutSplittingAnEscape() {
        String s = SlackText.plain("&&&&&&", 12);
        assertEquals("&amp;&amp;…", s);
        assertTrue(s.length() <= 12);
    }

    @Test
    void keepsTextThatFitsExactly() {
        assertEquals("abcd", SlackText.plain("abcd", 4));
        assertEquals("abc…", SlackText.plain("abcde", 4));
    }

    @Test
    void doesNotSplitSurrogatePairs() {
        assertEquals("😀…", SlackText.plain("😀😀😀", 4));
    }

    @Test
    void codeSpanCannotBeClosedFromInsideAndBreaksPlainMentions() {
        assertEquals("`ˋ@\u2060hereˋ *bold* [x](http://e)`", SlackText.code("`@here` *bold* [x](http://e)", 100));
    }

    @Test
    void codeSpanStaysWithinItsLimitIncludingBackticks() {
        String s = SlackText.code("<".repeat(10_000), 100);
        assertTrue(s.length() <= 100 && s.startsWith("`&lt;") && s.endsWith("…`"), s);
    }

    @Test
    void emptyOrMissingValuesShowADash() {
        assertEquals(SlackText.EMPTY, SlackText.code("", 10));
        assertEquals(SlackText.EMPTY, SlackText.code(null, 10));
        assertEquals(SlackText.EMPTY, SlackText.code("\u0007", 10));
    }
}
