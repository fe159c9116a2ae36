package io.pushcqrs.query.app;

import io.pushcqrs.model.error.FieldError;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryValidator;
import io.pushcqrs.model.validation.Checks;
import io.pushcqrs.model.validation.ValidationException;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The query string of one request, read parameter by parameter. Every problem is collected (not
 * thrown at once) so that one 400 names every bad parameter:
 * <ul>
 *   <li>a parameter given several times with the same value counts once; different values are a 400;</li>
 *   <li>an empty value ({@code ?cursor=}) counts as absent; a required parameter that is absent is a 400;</li>
 *   <li>a parameter the route does not know is a 400 that names it (catches typos such as {@code userId}).</li>
 * </ul>
 */
public final class QueryParameters {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,19}");
    private static final int MAX_ECHO = 64;

    private final Map<String, List<String>> values;
    private final Checks checks = new Checks();
    private final Set<String> failed = new HashSet<>();

    public QueryParameters(Map<String, List<String>> values) {
        this.values = values == null ? Map.of() : values;
    }

    /** Adds a 400 for every parameter name not in {@code known}. */
    public QueryParameters rejectUnknown(Collection<String> known, String route) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        for (String name : unknown) {
            fail(echo(name), "is not a parameter of " + route + " (allowed: " + String.join(", ", known) + ")");
        }
        return this;
    }

    /** The parameter's value, or null when absent or empty. */
    public String optional(String name) {
        List<String> given = values.get(name);
        if (given == null) {
            return null;
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String v : given) {
            if (v != null && !v.isBlank()) {
                distinct.add(v);
            }
        }
        if (distinct.size() > 1) {
            fail(name, "was given " + given.size() + " times with different values; give it once");
            return null;
        }
        return distinct.isEmpty() ? null : distinct.iterator().next();
    }

    /** The parameter's value; absent or empty is a 400. */
    public String required(String name) {
        String value = optional(name);
        if (value == null && !failed.contains(name)) {
            fail(name, "is required");
        }
        return value;
    }

    /** An integer parameter (range checks are {@link QueryValidator}'s), or null when absent. */
    public Integer integer(String name, String expected) {
        String value = optional(name);
        if (value == null) {
            return null;
        }
        Long n = longOrNull(value.trim());
        if (n != null && n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
            return n.intValue();
        }
        fail(name, "must be " + expected + " (was '" + echo(value) + "')");
        return null;
    }

    /**
     * A point in time as epoch milliseconds: either epoch milliseconds ("1700000000000") or an
     * ISO-8601 instant ("2026-11-26T10:00:00Z", "2026-11-26T10:00:00.123Z", "2026-11-26T19:00:00+09:00").
     * The 15-digit bound of the key format is {@link QueryValidator}'s (a microsecond or nanosecond value is a 400
     * saying "epoch milliseconds").
     */
    public Long time(String name) {
        String value = optional(name);
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (INTEGER.matcher(v).matches()) {
            Long n = longOrNull(v);
            if (n == null) {
                fail(name, "must be epoch milliseconds of at most 15 digits (was '" + echo(value) + "')");
            }
            return n;
        }
        try {
            // A '+' of an offset arrives as a space when the client did not URL-encode it.
            return parseInstant(v.replace(' ', '+')).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            fail(name, "must be epoch milliseconds or an ISO-8601 instant such as 2026-11-26T10:00:00Z (was '"
                    + echo(value) + "')");
            return null;
        }
    }

    /** The integer a trimmed value spells (at most 19 digits, sign allowed), or null when it is none or overflows. */
    private static Long longOrNull(String v) {
        if (!INTEGER.matcher(v).matches()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant parseInstant(String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeException e) {
            return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
    }

    /**
     * Checks the request built from these parameters with {@link QueryValidator} and throws one
     * {@link ValidationException} with every problem (parameter problems first; a parameter that
     * already failed to parse is not reported twice).
     */
    public void validate(QueryRequest request) {
        try {
            QueryValidator.validate(request);
        } catch (ValidationException e) {
            for (FieldError error : e.errors()) {
                if (!failed.contains(error.field())) {
                    checks.add(error.field(), error.message());
                }
            }
        }
        checks.throwIfAny();
    }

    /** Throws the problems found so far, if any (for requests that are not validated further). */
    public void throwIfAny() {
        checks.throwIfAny();
    }

    private void fail(String field, String message) {
        failed.add(field);
        checks.add(field, message);
    }

    private static String echo(String value) {
        String v = Objects.toString(value, "");
        return v.length() <= MAX_ECHO ? v : v.substring(0, MAX_ECHO) + "...";
    }
}
