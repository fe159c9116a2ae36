package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own answers. An error of a type (MISSING_AUTHENTICATION_TOKEN, INVALID_API_KEY, BAD_REQUEST_BODY,
 * THROTTLED, INTEGRATION_TIMEOUT, DEFAULT_5XX...) uses the API's {@code AWS::ApiGateway::GatewayResponse} of that type
 * when it has one (status,
 * {@code 'static'} or {@code method.request.header.x} headers, body template with {@code $context} variables), else its
 * DEFAULT_4XX / DEFAULT_5XX, else AWS's default {@code {"message": "..."}}. Every answer carries
 * {@code x-amzn-RequestId} and {@code x-amz-apigw-id}.
 */
final class GatewayResponses {
    private static final Pattern CONTEXT_VARIABLE = Pattern.compile("\\$context\\.([A-Za-z0-9_.]+)");

    private GatewayResponses() {
    }

    /** Renders gateway responses for one request. */
    static final class Errors {
        private final RestApiModel api;
        private final RestApiModel.Stage stage;
        private final ApiRequest request;
        private final String requestId;
        RestApiModel.Resource resource;

        Errors(RestApiModel api, RestApiModel.Stage stage, ApiRequest request, String requestId) {
            this.api = api;
            this.stage = stage;
            this.request = request;
            this.requestId = requestId;
        }

        ApiResponse respond(String type, int defaultStatus, String message, String validationError, String errorType,
                            RestApiModel.Resource resource) {
            RestApiModel.GatewayResponseSpec own = api.gatewayResponses().get(type);
            RestApiModel.GatewayResponseSpec fallback = api.gatewayResponses().get(defaultStatus >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX");
            RestApiModel.GatewayResponseSpec spec = own != null ? own : fallback;
            // "Changing the status code of this fallback gateway response changes the status codes of all other
            // 4XX/5XX responses to the new value" (API Gateway's gateway response types): the type's own status first
            int status = own != null && own.statusCode() != null ? own.statusCode()
                    : fallback != null && fallback.statusCode() != null ? fallback.statusCode() : defaultStatus;
            String template = "{\"message\":$context.error.messageString}";
            Map<String, List<String>> headers = new LinkedHashMap<>();
            if (spec != null) {
                if (!spec.templates().isEmpty()) {
                    template = spec.templates().getOrDefault("application/json", spec.templates().values().iterator().next());
                }
                spec.headers().forEach((name, value) -> {
                    String v = headerValue(value);
                    if (v != null) {
                        headers.put(name, List.of(v));
                    }
                });
            }
            if (findKey(headers, "Content-Type") == null) {
                headers.put("Content-Type", List.of("application/json"));
            }
            headers.put("x-amzn-ErrorType", List.of(errorType));
            addGatewayHeaders(headers, requestId);
            String body = render(template, type, message, validationError, resource);
            return new ApiResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
        }

        private String headerValue(String value) {
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                return value.substring(1, value.length() - 1);
            }
            if (value.startsWith("method.request.header.")) {
                return request.header(value.substring("method.request.header.".length()));
            }
            if (value.startsWith("method.request.querystring.")) {
                List<String> v = ProxyEvent.parseQuery(request.rawQuery()).get(value.substring("method.request.querystring.".length()));
                return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
            }
            return null;
        }

        private String render(String template, String type, String message, String validationError,
                              RestApiModel.Resource resource) {
            Matcher m = CONTEXT_VARIABLE.matcher(template);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String trailing = "";
                while (name.endsWith(".")) {
                    name = name.substring(0, name.length() - 1);
                    trailing += ".";
                }
                String value = switch (name) {
                    case "error.message" -> message;
                    case "error.messageString" -> quote(message);
                    case "error.responseType" -> type;
                    case "error.validationErrorString" -> validationError == null ? "" : validationError;
                    case "requestId" -> requestId;
                    case "extendedRequestId" -> requestId;
                    case "stage" -> stage.name();
                    case "apiId" -> api.id();
                    case "httpMethod" -> request.httpMethod();
                    case "path" -> "/" + stage.name() + request.path();
                    case "resourcePath" -> resource == null ? "" : resource.path();
                    case "resourceId" -> resource == null ? "" : resource.id();
                    case "identity.sourceIp" -> request.sourceIp();
                    case "identity.userAgent" -> String.valueOf(request.header("User-Agent"));
                    case "domainName" -> String.valueOf(request.header("Host"));
                    default -> "";
                };
                m.appendReplacement(out, Matcher.quoteReplacement(value + trailing));
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    /** An answer outside any API's gateway responses (unknown API or stage, the gateway failing). */
    static ApiResponse plain(int status, String json, String requestId) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        addGatewayHeaders(headers, requestId);
        return new ApiResponse(status, headers, json.getBytes(StandardCharsets.UTF_8));
    }

    static String json(String field, String value) {
        return "{" + quote(field) + ":" + quote(value) + "}";
    }

    private static String quote(String s) {
        try {
            return ProxyEvent.JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String findKey(Map<String, List<String>> headers, String name) {
        for (String k : headers.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                return k;
            }
        }
        return null;
    }

    static void addGatewayHeaders(Map<String, List<String>> headers, String requestId) {
        headers.put("x-amzn-RequestId", List.of(requestId));
        headers.put("x-amz-apigw-id", List.of(Base64.getEncoder().withoutPadding()
                .encodeToString(requestId.getBytes(StandardCharsets.UTF_8)).substring(0, 16)));
    }
}
