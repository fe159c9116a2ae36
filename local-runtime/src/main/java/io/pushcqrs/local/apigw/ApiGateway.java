package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.local.lambda.InvokeResult;
import io.pushcqrs.local.lambda.LambdaInvoker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local API Gateway: serves the REST APIs of the template with AWS_PROXY Lambda integrations.
 * <p>
 * For each request, in AWS's order: find the API and stage, match the resource and method (no match is
 * MISSING_AUTHENTICATION_TOKEN, which AWS answers with 403 unless the template's GatewayResponse says otherwise),
 * check the size (REQUEST_TOO_LARGE above 10 MiB), the API key on methods that require it (INVALID_API_KEY), the
 * required request parameters and the body model when the method's RequestValidator asks for it
 * (BAD_REQUEST_PARAMETERS, BAD_REQUEST_BODY), then invoke the function with the proxy event and map its answer.
 * A function error, a failed invoke or a malformed proxy response is a DEFAULT_5XX gateway response (502
 * {"message": "Internal server error"} unless the template's DEFAULT_5XX says otherwise) and is logged loudly.
 * <p>
 * Every gateway error uses the template's GatewayResponse for its type when there is one (status, static
 * headers, body template with $context variables), else the DEFAULT_4XX/DEFAULT_5XX one, else AWS's default.
 */
public final class ApiGateway {
    /** API Gateway's payload limit. */
    public static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

    private static final Set<String> PROXY_RESPONSE_KEYS =
            Set.of("statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded");
    private static final Pattern CONTEXT_VARIABLE = Pattern.compile("\\$context\\.([A-Za-z0-9_.]+)");

    private final Map<String, RestApiModel> apis = new LinkedHashMap<>();
    private final Map<String, ApiRouter> routers = new LinkedHashMap<>();
    private final LambdaInvoker invoker;
    private final Consumer<String> log;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param apis    the REST APIs
     * @param invoker runs the functions
     * @param log     receives one line per request, and the details of every 5xx
     */
    public ApiGateway(List<RestApiModel> apis, LambdaInvoker invoker, Consumer<String> log) {
        for (RestApiModel api : apis) {
            this.apis.put(api.id(), api);
            this.routers.put(api.id(), new ApiRouter(api));
        }
        this.invoker = invoker;
        this.log = log;
    }

    public List<RestApiModel> apis() {
        return List.copyOf(apis.values());
    }

    /** True when a REST API has a stage of that name (the edge's short URL form {@code /{stage}/...}). */
    public boolean servesStage(String stage) {
        return apis.values().stream().anyMatch(a -> a.stages().containsKey(stage));
    }

    /** Handles one request; never throws. */
    public ApiResponse handle(ApiRequest request) {
        long start = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        Outcome outcome;
        try {
            outcome = route(request, requestId);
        } catch (RuntimeException e) {
            log.accept("API " + request.httpMethod() + " " + request.path() + ": the local API Gateway failed: " + e);
            outcome = new Outcome(plain(500, "{\"message\":\"Internal server error\"}", requestId), null);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        log.accept("API " + request.stage() + " " + request.httpMethod() + " " + request.path()
                + (request.rawQuery() == null ? "" : "?" + request.rawQuery()) + " -> " + outcome.response().status()
                + (outcome.function() == null ? "" : " " + outcome.function()) + " " + ms + " ms requestId=" + requestId);
        return outcome.response();
    }

    private record Outcome(ApiResponse response, String function) {
    }

    private Outcome route(ApiRequest request, String requestId) {
        RestApiModel api;
        if (request.apiId() != null) {
            api = apis.get(request.apiId());
            if (api == null) {
                return new Outcome(plain(404, json("message", "no REST API with id " + request.apiId()
                        + " in the local stack (it serves: " + describeApis() + ")"), requestId), null);
            }
        } else {
            api = apis.values().stream().filter(a -> a.stages().containsKey(request.stage())).findFirst().orElse(null);
            if (api == null) {
                return new Outcome(plain(404, json("message", "no REST API has a stage " + request.stage()
                        + " (the local stack serves: " + describeApis() + ")"), requestId), null);
            }
        }
        RestApiModel.Stage stage = api.stages().get(request.stage());
        if (stage == null) {
            return new Outcome(plain(403, json("message", "Forbidden: the REST API " + api.id() + " has no stage "
                    + request.stage() + " (stages: " + String.join(", ", api.stages().keySet()) + ")"), requestId), null);
        }
        Errors errors = new Errors(api, stage, request, requestId);
        ApiRouter router = routers.get(api.id());
        Optional<ApiRouter.Match> match = router.match(request.path());
        Optional<RestApiModel.Method> method = match.flatMap(m -> router.method(m.resource(), request.httpMethod()));
        if (method.isEmpty()) {
            return new Outcome(errors.respond("MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token", null,
                    "MissingAuthenticationTokenException", match.map(ApiRouter.Match::resource).orElse(null)), null);
        }
        errors.resource = match.get().resource();
        RestApiModel.Method m = method.get();
        if (request.body().length > MAX_REQUEST_BYTES) {
            return new Outcome(errors.respond("REQUEST_TOO_LARGE", 413, "Request Too Long", null,
                    "RequestTooLongException", errors.resource), null);
        }
        RestApiModel.ApiKey key = null;
        if (m.apiKeyRequired()) {
            key = stage.key(request.header("x-api-key")).orElse(null);
            if (key == null) {
                return new Outcome(errors.respond("INVALID_API_KEY", 403, "Forbidden", null, "ForbiddenException",
                        errors.resource), null);
            }
        }
        if (m.validateParameters()) {
            List<String> missing = missingParameters(m, request, match.get());
            if (!missing.isEmpty()) {
                String message = "Missing required request parameters: [" + String.join(", ", missing) + "]";
                return new Outcome(errors.respond("BAD_REQUEST_PARAMETERS", 400, message, message, "BadRequestException",
                        errors.resource), null);
            }
        }
        if (m.validateBody()) {
            String problem = bodyProblem(m, request);
            if (problem != null) {
                return new Outcome(errors.respond("BAD_REQUEST_BODY", 400, "Invalid request body", problem,
                        "BadRequestException", errors.resource), null);
            }
        }
        ProxyEvent.Context context = new ProxyEvent.Context(api, stage, match.get(), m, requestId, extendedRequestId(),
                key, System.currentTimeMillis());
        byte[] event;
        try {
            event = ProxyEvent.JSON.writeValueAsBytes(ProxyEvent.build(request, context));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        InvokeResult result;
        try {
            result = invoker.invoke(m.functionName(), event);
        } catch (RuntimeException e) {
            log.accept("ERROR API " + request.httpMethod() + " " + request.path() + ": invoking " + m.functionName()
                    + " failed: " + e);
            return new Outcome(errors.respond("DEFAULT_5XX", 500, "Internal server error", null,
                    "InternalServerErrorException", errors.resource), m.functionName());
        }
        if (result.statusCode() != 200) {
            log.accept("ERROR API " + request.httpMethod() + " " + request.path() + ": the Lambda runtime answered "
                    + result.statusCode() + " for " + m.functionName() + ": " + text(result.payload(), 500));
            return new Outcome(errors.respond("DEFAULT_5XX", 500, "Internal server error", null,
                    "InternalServerErrorException", errors.resource), m.functionName());
        }
        if (result.failed()) {
            log.accept("ERROR API " + request.httpMethod() + " " + request.path() + ": " + m.functionName()
                    + " failed (" + result.functionError() + ", requestId " + result.requestId() + "): "
                    + text(result.payload(), 2000));
            return new Outcome(errors.respond("DEFAULT_5XX", 502, "Internal server error", null,
                    "InternalServerErrorException", errors.resource), m.functionName());
        }
        try {
            return new Outcome(proxyResponse(result.payload(), requestId), m.functionName());
        } catch (MalformedResponse e) {
            log.accept("ERROR API " + request.httpMethod() + " " + request.path() + ": malformed Lambda proxy response"
                    + " from " + m.functionName() + " (" + e.getMessage() + "): " + text(result.payload(), 2000));
            return new Outcome(errors.respond("DEFAULT_5XX", 502, "Internal server error", null,
                    "InternalServerErrorException", errors.resource), m.functionName());
        }
    }

    private static List<String> missingParameters(RestApiModel.Method m, ApiRequest request, ApiRouter.Match match) {
        Map<String, List<String>> query = ProxyEvent.parseQuery(request.rawQuery());
        List<String> missing = new ArrayList<>();
        m.requestParameters().forEach((name, required) -> {
            if (!required) {
                return;
            }
            String value = null;
            if (name.startsWith("method.request.querystring.")) {
                String q = name.substring("method.request.querystring.".length());
                List<String> values = query.get(q);
                value = values == null || values.isEmpty() ? null : values.get(values.size() - 1);
                name = q;
            } else if (name.startsWith("method.request.header.")) {
                name = name.substring("method.request.header.".length());
                value = request.header(name);
            } else if (name.startsWith("method.request.path.")) {
                name = name.substring("method.request.path.".length());
                value = match.pathParameters().get(name);
            } else {
                return;
            }
            if (value == null || value.isBlank()) {
                missing.add(name);
            }
        });
        return missing;
    }

    private static String bodyProblem(RestApiModel.Method m, ApiRequest request) {
        String contentType = request.header("Content-Type");
        String type = contentType == null ? "application/json" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode schema = m.requestModels().get(type);
        if (schema == null) {
            schema = m.requestModels().get("$default");
        }
        if (schema == null) {
            return null;
        }
        JsonNode body;
        try {
            body = request.body().length == 0 ? null : ProxyEvent.JSON.readTree(request.body());
        } catch (IOException e) {
            return "[Invalid JSON: " + e.getMessage().split("\n")[0] + "]";
        }
        if (body == null || body.isMissingNode()) {
            return "[the request body is empty, but the model requires a JSON " + schema.path("type").asText("value") + "]";
        }
        List<String> problems = JsonSchemaCheck.validate(schema, body);
        return problems.isEmpty() ? null : JsonSchemaCheck.errorString(problems);
    }

    // ------------------------------------------------------------------ proxy response

    private static final class MalformedResponse extends Exception {
        MalformedResponse(String message) {
            super(message);
        }
    }

    private static ApiResponse proxyResponse(byte[] payload, String requestId) throws MalformedResponse {
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
            if (!PROXY_RESPONSE_KEYS.contains(k)) {
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
                String existing = findKey(headers, e.getKey());
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
        if (findKey(headers, "Content-Type") == null) {
            headers.put("Content-Type", List.of("application/json"));
        }
        addGatewayHeaders(headers, requestId);
        return new ApiResponse(status, headers, body);
    }

    private static String findKey(Map<String, List<String>> headers, String name) {
        for (String k : headers.keySet()) {
            if (k.equalsIgnoreCase(name)) {
                return k;
            }
        }
        return null;
    }

    private static void addGatewayHeaders(Map<String, List<String>> headers, String requestId) {
        headers.put("x-amzn-RequestId", List.of(requestId));
        headers.put("x-amz-apigw-id", List.of(Base64.getEncoder().withoutPadding()
                .encodeToString(requestId.getBytes(StandardCharsets.UTF_8)).substring(0, 16)));
    }

    // ------------------------------------------------------------------ gateway responses

    /** Renders gateway responses for one request. */
    private final class Errors {
        private final RestApiModel api;
        private final RestApiModel.Stage stage;
        private final ApiRequest request;
        private final String requestId;
        private RestApiModel.Resource resource;

        Errors(RestApiModel api, RestApiModel.Stage stage, ApiRequest request, String requestId) {
            this.api = api;
            this.stage = stage;
            this.request = request;
            this.requestId = requestId;
        }

        ApiResponse respond(String type, int defaultStatus, String message, String validationError, String errorType,
                            RestApiModel.Resource resource) {
            RestApiModel.GatewayResponseSpec own = api.gatewayResponses().get(type);
            RestApiModel.GatewayResponseSpec spec = own != null ? own
                    : api.gatewayResponses().get(defaultStatus >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX");
            int status = own != null && own.statusCode() != null ? own.statusCode() : defaultStatus;
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

    private static ApiResponse plain(int status, String json, String requestId) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        addGatewayHeaders(headers, requestId);
        return new ApiResponse(status, headers, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String field, String value) {
        return "{" + quote(field) + ":" + quote(value) + "}";
    }

    private static String quote(String s) {
        try {
            return ProxyEvent.JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String describeApis() {
        if (apis.isEmpty()) {
            return "no REST APIs";
        }
        List<String> out = new ArrayList<>();
        apis.values().forEach(a -> out.add(a.id() + " (" + a.name() + ", stages " + String.join(", ", a.stages().keySet()) + ")"));
        return String.join("; ", out);
    }

    private String extendedRequestId() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return Base64.getEncoder().encodeToString(b).substring(0, 16).replace('/', 'A').replace('+', 'B') + "=";
    }

    private static String text(byte[] payload, int max) {
        if (payload == null) {
            return "(no payload)";
        }
        String s = new String(payload, StandardCharsets.UTF_8);
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }
}
