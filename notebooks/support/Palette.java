// Palette.java -- the colours and chart styling shared by every notebook chart.
package sentinel.notebook;

import java.awt.Color;
import java.awt.Font;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/** One look for all charts: white background, light grid, readable fonts; blue for normal traffic, red for attacks. */
public final class Palette {
    public static final Color NORMAL = new Color(31, 119, 180);
    public static final Color ANOMALOUS = new Color(214, 39, 40);
    public static final Color TRAINING = new Color(127, 127, 127);
    public static final Color GREEN = new Color(44, 160, 44);
    public static final Color ORANGE = new Color(255, 127, 14);
    public static final Color PURPLE = new Color(148, 103, 189);

    /** Attack kinds, in a stacked chart: distinct from the normal blue and from each other. */
    public static final Color[] KINDS = {ANOMALOUS, ORANGE, PURPLE, GREEN, new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(188, 189, 34), new Color(23, 190, 207), TRAINING};

    /** The legend of every normal-versus-anomalous chart, in drawing order. */
    public static final Map<String, Color> LABELS = labels();

    private Palette() {}

    private static Map<String, Color> labels() {
        Map<String, Color> m = new LinkedHashMap<>();
        m.put("normal", NORMAL);
        m.put("anomalous", ANOMALOUS);
        return Collections.unmodifiableMap(m);
    }

    /** {@code c} with alpha {@code a} (0-255), for overlapping areas. */
    public static Color alpha(Color c, int a) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), a);
    }

    /** Applies the house style; {@code small} is for the panels of a grid. */
    public static void style(Styler s, boolean small) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, small ? 13 : 16));
        if (s instanceof AxesChartStyler a) {
            a.setPlotGridLinesColor(new Color(225, 225, 225));
            a.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, small ? 11 : 13));
            a.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, small ? 10 : 12));
        }
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendBorderColor(Color.WHITE);
        s.setChartPadding(small ? 6 : 10);
        s.setAntiAlias(true);
    }
}
