package io.pushcqrs.local.apigw;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the local API Gateway answers.
 *
 * @param status  the HTTP status
 * @param headers each header name once, with all its values
 * @param body    the body bytes
 */
public record ApiResponse(int status, Map<String, List<String>> headers, byte[] body) {
    public ApiResponse {
        headers = new LinkedHashMap<>(headers);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header, matched without regard to case; null when absent. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }
}
