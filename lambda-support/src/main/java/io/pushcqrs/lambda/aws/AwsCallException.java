package io.pushcqrs.lambda.aws;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.error.FieldError;

import java.util.List;

/**
 * An AWS call that failed, as an {@link ApiException}: its code follows the {@link AwsFailure} class
 * (400 VALIDATION_ERROR, 500 INTERNAL_ERROR, 503 UNAVAILABLE). {@link #getMessage()} is the log line (action,
 * resource, the service's code and message); {@link #toBody()} is what the caller sees: the field and
 * the service's message for a rejection, nothing internal otherwise.
 */
public class AwsCallException extends ApiException {
    public static final String UNAVAILABLE_MESSAGE = "a backing service is unavailable now; retry later";
    public static final String INTERNAL_MESSAGE = "internal error";

    private final AwsFailure failure;

    public AwsCallException(AwsFailure failure, Throwable cause) {
        super(codeOf(failure.kind()), failure.describe(), details(failure));
        this.failure = failure;
        initCause(cause);
    }

    public AwsFailure failure() {
        return failure;
    }

    @Override
    public ErrorBody toBody() {
        return switch (failure.kind()) {
            case REJECTED -> new ErrorBody(ErrorCode.VALIDATION_ERROR, details().get(0).field() + ": "
                    + details().get(0).message(), details());
            case MISCONFIGURED -> ErrorBody.of(ErrorCode.INTERNAL_ERROR, INTERNAL_MESSAGE);
            case UNAVAILABLE -> ErrorBody.of(ErrorCode.UNAVAILABLE, UNAVAILABLE_MESSAGE);
        };
    }

    static ErrorCode codeOf(AwsFailure.Kind kind) {
        return switch (kind) {
            case REJECTED -> ErrorCode.VALIDATION_ERROR;
            case MISCONFIGURED -> ErrorCode.INTERNAL_ERROR;
            case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
        };
    }

    private static List<FieldError> details(AwsFailure failure) {
        if (failure.kind() != AwsFailure.Kind.REJECTED) {
            return List.of();
        }
        return List.of(new FieldError(failure.field(), "was refused by the store: " + failure.message()));
    }
}
