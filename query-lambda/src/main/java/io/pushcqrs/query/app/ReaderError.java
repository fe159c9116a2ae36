package io.pushcqrs.query.app;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorBody;

/**
 * The data reader answered an error (success=false, e.g. VALIDATION_ERROR for a forged cursor): passed through to
 * the caller as it is, with its code's status; the log line says where it came from.
 */
public class ReaderError extends ApiException {
    private final ErrorBody body;

    public ReaderError(ErrorBody body) {
        super(body.code(), "query-result answered " + body.code() + ": " + body.message(), body.details());
        this.body = body;
    }

    @Override
    public ErrorBody toBody() {
        return body;
    }

    /** The reader wrote its answer for the caller (its 500 names its own request id, nothing internal). */
    @Override
    public boolean bodyIsPublic() {
        return true;
    }
}
