package io.pushcqrs.model.error;

import java.util.List;

/** A failure that the API answers with its error code and message (never with a stack trace). */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final List<FieldError> details;

    public ApiException(ErrorCode code, String message) {
        this(code, message, List.of());
    }

    public ApiException(ErrorCode code, String message, List<FieldError> details) {
        super(message);
        this.code = code;
        this.details = List.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldError> details() {
        return details;
    }

    public ErrorBody toBody() {
        return new ErrorBody(code, getMessage(), details);
    }
}
