package io.pushcqrs.model.error;

/** The error codes of the API and the HTTP status each one answers with. */
public enum ErrorCode {
    VALIDATION_ERROR(400),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    THROTTLED(429),
    INTERNAL_ERROR(500),
    UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
