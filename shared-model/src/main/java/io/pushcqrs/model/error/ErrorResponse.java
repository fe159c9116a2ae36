package io.pushcqrs.model.error;

/** The error answer of every route: {@code {"success":false,"error":{"code":"...","message":"..."}}}. */
public record ErrorResponse(boolean success, ErrorBody error) {
    public static ErrorResponse of(ErrorBody error) {
        return new ErrorResponse(false, error);
    }

    public static ErrorResponse of(ErrorCode code, String message) {
        return new ErrorResponse(false, ErrorBody.of(code, message));
    }
}
