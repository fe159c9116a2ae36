package io.pushcqrs.queryresult.app;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorCode;

/** The read model cannot answer now (throttled, a service-side error, unreachable): UNAVAILABLE, retry later. */
public class ViewStoreUnavailableException extends ApiException {
    public ViewStoreUnavailableException(Throwable cause) {
        super(ErrorCode.UNAVAILABLE, "the notification store is unavailable, please retry");
        initCause(cause);
    }
}
