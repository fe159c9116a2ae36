package io.pushcqrs.ops.ui;

import picocli.CommandLine;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers of argument values shared by the subcommands. */
public final class Args {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private Args() {
    }

    /** "60s", "2m", "1.5s", "500ms", "1h", a bare number of seconds, or ISO-8601 ("PT1M"). */
    public static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt") || t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("not a duration: '" + text + "' (use 60s, 2m, 500ms)");
            }
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use 60s, 2m, 500ms)");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /**
     * A point in time as epoch milliseconds: digits ("1700000000000"), an ISO-8601 instant or offset date-time
     * ("2026-11-26T10:00:00Z", "2026-11-26T19:00:00+09:00"), a local date-time taken as UTC
     * ("2026-11-26T10:00:00"), or a date ("2026-11-26", midnight UTC).
     */
    public static long epochMillis(String text) {
        String t = text.trim();
        if (t.matches("\\d{1,15}")) {
            return Long.parseLong(t);
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeException ignored) {
            // next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeException ignored) {
            // next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a time: '" + text
                    + "' (use epoch milliseconds or ISO-8601 such as 2026-11-26T10:00:00Z)");
        }
    }

    /** picocli converter for {@link #duration}. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return duration(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli converter for {@link #epochMillis}. */
    public static final class TimeConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return epochMillis(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
