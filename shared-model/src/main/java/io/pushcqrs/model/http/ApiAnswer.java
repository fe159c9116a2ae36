package io.pushcqrs.model.http;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.error.ErrorResponse;
import io.pushcqrs.model.json.Json;

import java.util.Map;

/**
 * An HTTP answer of the API before it is put into the API Gateway proxy response: a status and a
 * JSON body. Both API handlers (commands and queries) build their answers with it so that every
 * error has the same shape: {@code {"success":false,"error":{"code":"...","message":"..."}}}.
 */
public record ApiAnswer(int status, String body) {
    /** Headers of every answer. */
    public static final Map<String, String> HEADERS = Map.of(
            "Content-Type", "application/json; charset=utf-8",
            "Cache-Control", "no-store");

    /** Retry-After (seconds) of every 503 answer: the SDK has retried already, a client retries later. */
    public static final String RETRY_AFTER_SECONDS = "1";

    /** The headers of an answer with this status: {@link #HEADERS}, and Retry-After on a 503. */
    public static Map<String, String> headersFor(int status) {
        Map<String, String> headers = new java.util.HashMap<>(HEADERS);
        if (status == ErrorCode.UNAVAILABLE.httpStatus()) {
            headers.put("Retry-After", RETRY_AFTER_SECONDS);
        }
        return headers;
    }

    public static ApiAnswer json(int status, Object value) {
        return new ApiAnswer(status, Json.write(value));
    }

    public static ApiAnswer error(ApiException e) {
        return error(e.toBody());
    }

    public static ApiAnswer error(ErrorBody body) {
        return new ApiAnswer(body.code().httpStatus(), Json.write(ErrorResponse.of(body)));
    }

    public static ApiAnswer error(ErrorCode code, String message) {
        return error(ErrorBody.of(code, message));
    }
}
