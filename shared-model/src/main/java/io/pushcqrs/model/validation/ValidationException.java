package io.pushcqrs.model.validation;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.error.FieldError;

import java.util.List;
import java.util.stream.Collectors;

/** Bad input: a 400 VALIDATION_ERROR whose message lists every field problem. */
public class ValidationException extends ApiException {
    public ValidationException(List<FieldError> errors) {
        super(ErrorCode.VALIDATION_ERROR, errors.stream()
                .map(e -> e.field() + ": " + e.message())
                .collect(Collectors.joining("; ")), errors);
    }

    public ValidationException(String field, String message) {
        this(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return details();
    }
}
