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

    /**
     * Whether {@link #toBody()} may be shown to the caller as it is. An INTERNAL_ERROR's message may name internals,
     * so the API answers it with "internal error (request &lt;id&gt;)" instead, unless a subclass says its body was
     * written for the caller (an error answer passed through from another function).
     */
    public boolean bodyIsPublic() {
        return code != ErrorCode.INTERNAL_ERROR;
    }
}
