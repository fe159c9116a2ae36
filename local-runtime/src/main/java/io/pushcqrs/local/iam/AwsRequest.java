package io.pushcqrs.local.iam;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An AWS API request as the edge received it.
 *
 * @param method   the HTTP method
 * @param rawPath  the path as sent
 * @param rawQuery the query string, or null
 * @param headers  the headers (names in any case)
 * @param body     the body
 */
public record AwsRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

    /** The first value of a header, looked up without regard to case; null when absent. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
