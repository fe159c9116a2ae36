package io.pushcqrs.query.app;

/**
 * The data reader could not answer: not reachable, crashed, throttled, timed out or answered a
 * payload that is not a query response. The message is for the log only, never for the caller.
 */
public class DownstreamUnavailable extends RuntimeException {
    public DownstreamUnavailable(String message) {
        super(message);
    }

    public DownstreamUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
