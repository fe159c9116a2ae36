package io.pushcqrs.query.app;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.http.ApiAnswer;

/**
 * The answer to one request plus what the request log line needs about it.
 *
 * @param answer    status and JSON body for the caller
 * @param route     the route that was matched (e.g. "/query/user"), or null when none was
 * @param count     number of items answered, or null on errors and /health
 * @param errorCode the error code answered, or null on success
 * @param detail    why it failed, for the log only (never shown to the caller), or null
 */
public record QueryOutcome(ApiAnswer answer, String route, Integer count, String errorCode, String detail) {

    public static QueryOutcome ok(String route, ApiAnswer answer, Integer count) {
        return new QueryOutcome(answer, route, count, null, null);
    }

    public static QueryOutcome error(String route, ApiException e) {
        return error(route, e.toBody(), null);
    }

    public static QueryOutcome error(String route, ErrorBody body, String detail) {
        return new QueryOutcome(ApiAnswer.error(body), route, null, body.code().name(), detail);
    }

    public int status() {
        return answer.status();
    }
}
