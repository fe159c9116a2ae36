package io.pushcqrs.model.error;

/**
 * A backing service (a table, the data reader) cannot answer now: 503 UNAVAILABLE, with Retry-After, and the
 * caller may try again. The one "unavailable" of the application layers (docs/architecture.md, "The error flow"):
 * {@link #getMessage()} is the reason for the log (never shown), the answer carries a fixed sentence. An AWS call
 * that failed this way is an {@code AwsCallException} of the kind UNAVAILABLE, which answers the same.
 */
public class UnavailableException extends ApiException {
    /** What the caller reads, whatever the reason. */
    public static final String MESSAGE = "a backing service is unavailable now; retry later";

    private final String publicMessage;

    /** @param reason why, for the log only */
    public UnavailableException(String reason, Throwable cause) {
        this(MESSAGE, reason, cause);
    }

    /** @param publicMessage what the caller reads; @param reason why, for the log only */
    public UnavailableException(String publicMessage, String reason, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, reason);
        this.publicMessage = publicMessage;
        if (cause != null) {
            initCause(cause);
        }
    }

    @Override
    public ErrorBody toBody() {
        return ErrorBody.of(ErrorCode.UNAVAILABLE, publicMessage);
    }
}
