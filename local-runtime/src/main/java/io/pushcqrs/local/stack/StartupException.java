package io.pushcqrs.local.stack;

/** A start that cannot go on; the message is for the user, as is. */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
