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
