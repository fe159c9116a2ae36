package io.pushcqrs.command.app;

/** The command store cannot answer now (throttled, service error, timeout); the API answers 503. */
public class CommandStoreUnavailableException extends RuntimeException {
    public CommandStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
