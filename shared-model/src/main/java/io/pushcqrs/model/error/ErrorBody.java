package io.pushcqrs.model.error;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The {@code error} object of an error answer; details lists field-level problems when there are any. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(ErrorCode code, String message, List<FieldError> details) {
    public ErrorBody {
        details = details == null ? List.of() : List.copyOf(details);
    }

    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(code, message, List.of());
    }
}
