// Format.java -- numbers as people write them in config.yaml and prose: short, no trailing zeros, no locale surprises.
package sentinel.notebook;

import java.math.BigDecimal;
import java.util.Locale;

/** Formatting for notebook text. */
public final class Format {
    private Format() {}

    /** {@code 0.0023}, {@code 0.01}, {@code 100}: up to 4 significant digits, no exponent, no trailing zeros. */
    public static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.valueOf((long) v);
        return new BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** A share as a percentage with one decimal: {@code 12.3%}. */
    public static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
