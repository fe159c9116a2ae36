package io.pushcqrs.lambda;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A function's configuration, read from its environment in one way (docs/architecture.md, "Configuration"):
 * <ul>
 *   <li>{@link #required}: what the deployment must say (table names, the reader's function name, the cursor
 *       secret). Unset or blank fails the init phase: {@link MissingVariableException} names the variable and what
 *       it is for, and the Lambda runtime reports it as the init error; no function starts on a guessed name;</li>
 *   <li>{@link #optional}: what has a right answer without the deployment (index names, AWS_REGION, a timeout);
 *       unset, blank or unreadable gives the default.</li>
 * </ul>
 * Values are trimmed. Tests pass a map; the functions {@link #system()}.
 */
public final class Env {
    private final UnaryOperator<String> lookup;

    private Env(UnaryOperator<String> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** The process environment (what Lambda sets from the function's configuration). */
    public static Env system() {
        return new Env(System::getenv);
    }

    public static Env of(Map<String, String> variables) {
        return new Env(variables::get);
    }

    public static Env of(UnaryOperator<String> lookup) {
        return new Env(lookup);
    }

    /**
     * @param purpose what the variable names, for the message (e.g. "the command-records table")
     * @throws MissingVariableException when unset or blank
     */
    public String required(String name, String purpose) {
        String value = raw(name);
        if (value == null) {
            throw new MissingVariableException(name, purpose);
        }
        return value;
    }

    /** The variable, or {@code fallback} when unset or blank. */
    public String optional(String name, String fallback) {
        String value = raw(name);
        return value == null ? fallback : value;
    }

    /** A positive number of milliseconds, or {@code fallback} when unset, blank, not a number or not positive. */
    public Duration millis(String name, Duration fallback) {
        String value = raw(name);
        if (value != null) {
            try {
                long ms = Long.parseLong(value);
                if (ms > 0) {
                    return Duration.ofMillis(ms);
                }
            } catch (NumberFormatException e) {
                // the default below
            }
        }
        return fallback;
    }

    /** The raw lookup (for code that takes the environment as a function, such as the AWS client settings). */
    public String get(String name) {
        return raw(name);
    }

    private String raw(String name) {
        String value = lookup.apply(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A required variable is missing: the function cannot start. */
    public static final class MissingVariableException extends IllegalStateException {
        private final String variable;

        public MissingVariableException(String variable, String purpose) {
            super("environment variable " + variable + " is not set (" + purpose + "): the function cannot start");
            this.variable = variable;
        }

        public String variable() {
            return variable;
        }
    }
}
