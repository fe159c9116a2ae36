package io.pushcqrs.local.apigw;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request for a REST API, as the edge received it.
 *
 * @param httpMethod GET, POST...
 * @param apiId      the RestApi id of LocalStack's URL form, or null for the short {@code /{stage}/...} form
 * @param stage      the stage named in the URL
 * @param path       the resource path after the stage, as sent (still percent-encoded), starting with "/"
 * @param rawQuery   the query string as sent (no "?"), or null
 * @param headers    the request headers in order, each name once with all its values
 * @param body       the body (empty when none)
 * @param sourceIp   the client's address
 * @param protocol   e.g. HTTP/1.1
 */
public record ApiRequest(String httpMethod, String apiId, String stage, String path, String rawQuery,
                         Map<String, List<String>> headers, byte[] body, String sourceIp, String protocol) {

    public ApiRequest {
        headers = new LinkedHashMap<>(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The last value of a header, matched without regard to case; null when absent. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(e.getValue().size() - 1);
            }
        }
        return null;
    }
}
