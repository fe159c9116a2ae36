package io.pushcqrs.lambda.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An API Gateway proxy request as the routers see it, independent of the event classes.
 *
 * @param method            the HTTP method as sent (may be null on a malformed event)
 * @param path              the request path (may carry the stage as its first segment), or null
 * @param resource          the API Gateway route template ({@code /commands/{transaction_id}}), or null
 * @param stage             the stage, or null
 * @param pathParameters    the route template's parameters (never null)
 * @param query             every query parameter with all its values; the multi-valued map wins (never null)
 * @param parameters        the single-valued query map (API Gateway's last value of each; never null)
 * @param headers           the single-valued headers (never null)
 * @param multiValueHeaders the multi-valued headers (never null)
 * @param rawBody           the body as the event carries it (base64 when {@code base64}), or null
 * @param base64            whether API Gateway base64-encoded the body
 * @param apiRequestId      API Gateway's request id, or null
 */
public record HttpRequest(String method, String path, String resource, String stage, Map<String, String> pathParameters,
                          Map<String, List<String>> query, Map<String, String> parameters, Map<String, String> headers,
                          Map<String, List<String>> multiValueHeaders, String rawBody, boolean base64,
                          String apiRequestId) {
    public HttpRequest {
        pathParameters = pathParameters == null ? Map.of() : pathParameters;
        query = query == null ? Map.of() : query;
        parameters = parameters == null ? Map.of() : parameters;
        headers = headers == null ? Map.of() : headers;
        multiValueHeaders = multiValueHeaders == null ? Map.of() : multiValueHeaders;
    }

    /** A request with only a method, a path and query parameters (tests, routers' own callers). */
    public static HttpRequest of(String method, String path, String stage, Map<String, List<String>> query) {
        return new HttpRequest(method, path, null, stage, Map.of(), query, Map.of(), Map.of(), Map.of(), null, false,
                null);
    }

    /** The event as the routers see it; a null event is a request without method or path. */
    public static HttpRequest of(APIGatewayProxyRequestEvent event) {
        if (event == null) {
            return of(null, null, null, Map.of());
        }
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (event.getQueryStringParameters() != null) {
            event.getQueryStringParameters().forEach((k, v) -> query.put(k, v == null ? List.of() : List.of(v)));
        }
        if (event.getMultiValueQueryStringParameters() != null) {
            event.getMultiValueQueryStringParameters().forEach((k, v) -> query.put(k, v == null ? List.of() : v));
        }
        String stage = event.getRequestContext() == null ? null : event.getRequestContext().getStage();
        String apiRequestId = event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
        return new HttpRequest(event.getHttpMethod(), event.getPath(), event.getResource(), stage,
                event.getPathParameters(), query, event.getQueryStringParameters(), event.getHeaders(), event.getMultiValueHeaders(), event.getBody(),
                Boolean.TRUE.equals(event.getIsBase64Encoded()), apiRequestId);
    }

    /** The method in upper case, "" when none. */
    public String upperMethod() {
        return method == null ? "" : method.toUpperCase(Locale.ROOT);
    }

    /** A query parameter from the single-valued map (API Gateway's last value), else the last of its values. */
    public String parameter(String name) {
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** The body as UTF-8 text (base64-decoded when flagged), or null; 413 over 64 KiB, 400 when undecodable. */
    public String body() {
        return RequestBody.decode(rawBody, base64);
    }

    /** 415 unless the Content-Type is JSON or absent (see {@link JsonMediaType}). */
    public void requireJsonBody() {
        JsonMediaType.require(headers, multiValueHeaders);
    }
}
