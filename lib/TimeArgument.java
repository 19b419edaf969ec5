// TimeArgument.java -- parses --since/--until values: a date, a date-time, or an instant.
//DEPS info.picocli:picocli:4.7.7
package sentinel;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** A picocli converter for times: {@code 2025-11-20} (midnight UTC), {@code 2025-11-20T08:00} (UTC), or with an offset. */
public final class TimeArgument implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
        String v = value.trim();
        try {
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) return OffsetDateTime.parse(v).toInstant();
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a time: use 2025-11-20, 2025-11-20T08:00:00 (UTC) or 2025-11-20T08:00:00+01:00");
        }
    }
}
