// Grid.java -- lays several chart images out as one picture, with a shared legend on top.
package sentinel.notebook;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/** Small multiples: one image, panels left to right then top to bottom. */
public final class Grid {
    private static final int LEGEND_HEIGHT = 34;

    private Grid() {}

    /** {@code panels} (same size) in rows of {@code cols}; {@code legend} maps names to colours in the order drawn (may be empty). */
    public static BufferedImage of(List<BufferedImage> panels, int cols, Map<String, Color> legend) {
        int w = panels.get(0).getWidth(), h = panels.get(0).getHeight();
        int rows = (panels.size() + cols - 1) / cols, top = legend.isEmpty() ? 0 : LEGEND_HEIGHT;
        BufferedImage out = new BufferedImage(w * Math.min(cols, panels.size()), top + h * rows, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int x = 12;
        for (Map.Entry<String, Color> e : legend.entrySet()) {
            g.setColor(e.getValue());
            g.fillRect(x, 11, 14, 14);
            g.setColor(Color.DARK_GRAY);
            g.drawString(e.getKey(), x + 20, 23);
            x += 30 + g.getFontMetrics().stringWidth(e.getKey());
        }
        for (int i = 0; i < panels.size(); i++) g.drawImage(panels.get(i), (i % cols) * w, top + (i / cols) * h, null);
        g.dispose();
        return out;
    }
}
