package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A function's Lambda proxy response (payload format 1.0) read as API Gateway reads it: {@code statusCode} (a number
 * or a numeric string), {@code headers}, {@code multiValueHeaders}, {@code body} (a string), {@code isBase64Encoded};
 * any other field, a non-string body, bad base64... makes it malformed. {@code Content-Type} defaults to
 * {@code application/json}.
 */
final class ProxyResponse {
    private static final Set<String> KEYS = Set.of("statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded");

    private ProxyResponse() {
    }

    /** The function answered something API Gateway cannot map: a 502 (DEFAULT_5XX). */
    static final class MalformedResponse extends Exception {
        MalformedResponse(String message) {
            super(message);
        }
    }

    /** The HTTP answer of a function's proxy response, with the gateway's headers. */
    static ApiResponse parse(byte[] payload, String requestId) throws MalformedResponse {
        JsonNode r;
        try {
            r = ProxyEvent.JSON.readTree(payload);
        } catch (IOException e) {
            throw new MalformedResponse("not JSON");
        }
        if (r == null || !r.isObject()) {
            throw new MalformedResponse("not a JSON object");
        }
        for (var it = r.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new MalformedResponse("unexpected field \"" + k + "\" (allowed: statusCode, headers,"
                        + " multiValueHeaders, body, isBase64Encoded)");
            }
        }
        JsonNode sc = r.path("statusCode");
        int status;
        if (sc.isInt()) {
            status = sc.asInt();
        } else if (sc.isTextual() && sc.asText().matches("\\d{3}")) {
            status = Integer.parseInt(sc.asText());
        } else {
            throw new MalformedResponse("statusCode is missing or not a number");
        }
        if (status < 100 || status > 599) {
            throw new MalformedResponse("statusCode " + status + " is not an HTTP status");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        JsonNode mvh = r.path("multiValueHeaders");
        if (!mvh.isMissingNode() && !mvh.isNull()) {
            if (!mvh.isObject()) {
                throw new MalformedResponse("multiValueHeaders is not an object");
            }
            for (var e : mvh.properties()) {
                if (!e.getValue().isArray()) {
                    throw new MalformedResponse("multiValueHeaders." + e.getKey() + " is not a list");
                }
                List<String> values = new ArrayList<>();
                for (JsonNode v : e.getValue()) {
                    if (!v.isValueNode()) {
                        throw new MalformedResponse("multiValueHeaders." + e.getKey() + " holds a non-scalar value");
                    }
                    values.add(v.asText());
                }
                headers.put(e.getKey(), values);
            }
        }
        JsonNode h = r.path("headers");
        if (!h.isMissingNode() && !h.isNull()) {
            if (!h.isObject()) {
                throw new MalformedResponse("headers is not an object");
            }
            for (var e : h.properties()) {
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new MalformedResponse("headers." + e.getKey() + " is not a string");
                }
                String existing = GatewayResponses.findKey(headers, e.getKey());
                if (existing == null) {
                    headers.put(e.getKey(), new ArrayList<>(List.of(e.getValue().asText())));
                } else if (!headers.get(existing).contains(e.getValue().asText())) {
                    headers.get(existing).add(e.getValue().asText());
                }
            }
        }
        JsonNode b64 = r.path("isBase64Encoded");
        boolean base64 = b64.isBoolean() ? b64.asBoolean() : b64.isTextual() && b64.asText().equalsIgnoreCase("true");
        JsonNode bodyNode = r.path("body");
        byte[] body;
        if (bodyNode.isMissingNode() || bodyNode.isNull()) {
            body = new byte[0];
        } else if (!bodyNode.isTextual()) {
            throw new MalformedResponse("body is not a string (serialize it to JSON text)");
        } else if (base64) {
            try {
                body = Base64.getDecoder().decode(bodyNode.asText());
            } catch (IllegalArgumentException e) {
                throw new MalformedResponse("isBase64Encoded is true but body is not base64");
            }
        } else {
            body = bodyNode.asText().getBytes(StandardCharsets.UTF_8);
        }
        if (GatewayResponses.findKey(headers, "Content-Type") == null) {
            headers.put("Content-Type", List.of("application/json"));
        }
        GatewayResponses.addGatewayHeaders(headers, requestId);
        return new ApiResponse(status, headers, body);
    }
}
