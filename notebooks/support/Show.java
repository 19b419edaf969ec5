// Show.java -- puts charts and tables into the notebook as outputs that render offline and on GitHub.
package sentinel.notebook;

import java.awt.image.BufferedImage;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.rapaio.jupyter.kernel.global.Global;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/**
 * Output helpers for cells. Charts become PNG images (pure Java, no JavaScript, nothing fetched from a CDN), so they
 * show in the executed notebook, in GitHub's notebook view and in an offline room alike. They return nothing, so a
 * cell shows the picture and not the kernel's display id.
 */
public final class Show {
    private Show() {}

    /** A PNG image output. */
    public static void image(BufferedImage image) {
        Global.display(image);
    }

    /** An XChart chart as a PNG image output. */
    public static void chart(Chart<?, ?> chart) {
        image(BitmapEncoder.getBufferedImage(chart));
    }

    /**
     * A table as fixed-width text (what {@code Table.print()} gives), all rows, decimals cut to four places and thousands
     * grouped (this sets the print format of the table's decimal columns).
     */
    public static void table(Table table) {
        NumberColumnFormatter readable = new NumberColumnFormatter(new DecimalFormat("#,##0.####", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        for (Column<?> c : table.columns()) {
            if (c instanceof DoubleColumn d) d.setPrintFormatter(readable);
        }
        System.out.println(table.printAll());
    }
}
