package io.pushcqrs.query.app;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the router sees it, independent of the API Gateway event classes.
 *
 * @param method HTTP method as sent (may be null on a malformed event)
 * @param path   request path without query string (may carry the stage as its first segment)
 * @param stage  API Gateway stage (used to strip a "/{stage}" prefix), or null
 * @param query  every query parameter with all its values (never null)
 */
public record ApiRequest(String method, String path, String stage, Map<String, List<String>> query) {
    public ApiRequest {
        query = query == null ? Map.of() : query;
    }
}
