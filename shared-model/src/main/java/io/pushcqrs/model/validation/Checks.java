package io.pushcqrs.model.validation;

import io.pushcqrs.model.error.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects field errors; {@link #throwIfAny()} raises them all at once. */
public final class Checks {
    private static final Pattern ID = Pattern.compile(Limits.ID_PATTERN);
    private final List<FieldError> errors = new ArrayList<>();

    public Checks required(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            add(field, "is required");
        }
        return this;
    }

    public Checks maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            add(field, "must be at most " + max + " characters (was " + value.length() + ")");
        }
        return this;
    }

    public Checks id(String field, String value) {
        if (value != null) {
            maxLength(field, value, Limits.MAX_ID);
            if (value.length() <= Limits.MAX_ID && !ID.matcher(value).matches()) {
                add(field, "may contain only letters, digits and . _ : @ / + = -");
            }
        }
        return this;
    }

    public Checks range(String field, Number value, long min, long max) {
        if (value != null && (value.longValue() < min || value.longValue() > max)) {
            add(field, "must be between " + min + " and " + max + " (was " + value + ")");
        }
        return this;
    }

    public Checks notNegative(String field, Number value) {
        if (value != null && value.longValue() < 0) {
            add(field, "must not be negative (was " + value + ")");
        }
        return this;
    }

    /**
     * An epoch-millisecond time (created_at, *_ts): not negative and at most 15 digits, the width the
     * sort keys order by. Microseconds (16 digits) and nanoseconds (19) are refused with a message saying so.
     */
    public Checks epochMillis(String field, Long value) {
        if (value == null) {
            return this;
        }
        if (value < 0) {
            return add(field, "must not be negative (was " + value + ")");
        }
        if (value > Limits.MAX_EPOCH_MILLIS) {
            int digits = Long.toString(value).length();
            String unit = digits >= 19 ? "nanoseconds" : digits >= 16 ? "microseconds" : "too large";
            return add(field, "must be epoch milliseconds: at most 15 digits (was " + value + ", " + digits
                    + " digits" + (unit.equals("too large") ? "" : ": looks like " + unit) + ")");
        }
        return this;
    }

    /** A version a client names: 0 (an item written without one) up to {@link Limits#MAX_VERSION}. */
    public Checks version(String field, Long value) {
        if (value != null && value < 0) {
            return add(field, "must not be negative (was " + value + ")");
        }
        if (value != null && value > Limits.MAX_VERSION) {
            return add(field, "must be at most " + Limits.MAX_VERSION + " (was " + value + ")");
        }
        return this;
    }

    public Checks absent(String field, Object value, String why) {
        if (value != null) {
            add(field, why);
        }
        return this;
    }

    /** Records a problem; a field already reported keeps its first problem only (one message per field). */
    public Checks add(String field, String message) {
        if (errors.stream().noneMatch(e -> e.field().equals(field))) {
            errors.add(new FieldError(field, message));
        }
        return this;
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }
}
