package io.pushcqrs.lambda.http;

import io.pushcqrs.model.error.ApiException;
import io.pushcqrs.model.error.ErrorBody;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.error.ErrorResponse;
import io.pushcqrs.model.json.Json;

import java.util.HashMap;
import java.util.Map;

/**
 * An HTTP answer of the API before {@link HttpApi} puts it into the API Gateway proxy response: a status, a JSON
 * body and the headers of this answer beyond the ones every answer has. Both API functions build their answers with
 * it, so every error has the same shape: {@code {"success":false,"error":{"code":"...","message":"..."}}}.
 */
public record ApiAnswer(int status, String body, Map<String, String> headers) {
    /** Headers of every answer. */
    public static final Map<String, String> HEADERS = Map.of(
            "Content-Type", "application/json; charset=utf-8",
            "Cache-Control", "no-store");

    /** Retry-After (seconds) of every 503 answer: the SDK has retried already, a client retries later. */
    public static final String RETRY_AFTER_SECONDS = "1";

    public ApiAnswer {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public ApiAnswer(int status, String body) {
        this(status, body, Map.of());
    }

    /** The headers of an answer with this status: {@link #HEADERS}, and Retry-After on a 503. */
    public static Map<String, String> headersFor(int status) {
        Map<String, String> headers = new HashMap<>(HEADERS);
        if (status == ErrorCode.UNAVAILABLE.httpStatus()) {
            headers.put("Retry-After", RETRY_AFTER_SECONDS);
        }
        return headers;
    }

    /** Every header of this answer: {@link #headersFor} its status, then its own. */
    public Map<String, String> allHeaders() {
        Map<String, String> all = headersFor(status);
        all.putAll(headers);
        return all;
    }

    public static ApiAnswer json(int status, Object value) {
        return new ApiAnswer(status, Json.write(value));
    }

    public static ApiAnswer error(ApiException e) {
        ApiAnswer answer = error(e.toBody());
        return e instanceof MethodNotAllowedException m
                ? new ApiAnswer(answer.status(), answer.body(), Map.of("Allow", m.allow())) : answer;
    }

    public static ApiAnswer error(ErrorBody body) {
        return new ApiAnswer(body.code().httpStatus(), Json.write(ErrorResponse.of(body)));
    }

    public static ApiAnswer error(ErrorCode code, String message) {
        return error(ErrorBody.of(code, message));
    }
}
