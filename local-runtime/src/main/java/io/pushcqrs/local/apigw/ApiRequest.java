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

    /**
     * The size in bytes (UTF-8) of the request line as API Gateway's own URL form has it ({@code METHOD /stage/path?query
     * PROTOCOL}) and of every header line ({@code name: value} and its CRLF): what API Gateway's limit of 10,240 bytes
     * for "the request line and header values" counts (docs/reliability.md, "Bad input").
     */
    public int requestLineAndHeaderBytes() {
        int size = utf8(httpMethod) + 1 + 1 + utf8(stage) + utf8(path) + (rawQuery == null ? 0 : 1 + utf8(rawQuery))
                + 1 + utf8(protocol) + 2;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            for (String value : e.getValue()) {
                size += utf8(e.getKey()) + 2 + utf8(value) + 2;
            }
        }
        return size;
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
