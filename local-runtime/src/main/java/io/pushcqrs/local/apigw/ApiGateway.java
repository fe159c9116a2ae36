package io.pushcqrs.local.apigw;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pushcqrs.local.lambda.InvokeResult;
import io.pushcqrs.local.lambda.LambdaInvoker;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The local API Gateway: serves the REST APIs of the template with AWS_PROXY Lambda integrations.
 * <p>
 * For each request, in AWS's order: find the API and stage, match the resource and method (no match is
 * MISSING_AUTHENTICATION_TOKEN, which AWS answers with 403 unless the template's GatewayResponse says otherwise),
 * check the size (REQUEST_TOO_LARGE above 10 MiB), the API key on methods that require it (INVALID_API_KEY), the
 * usage plan's quota and throttles and the stage's method throttling ({@link Throttling}: QUOTA_EXCEEDED, THROTTLED,
 * both 429), the required request parameters and the body model when the method's RequestValidator asks for it
 * (BAD_REQUEST_PARAMETERS, BAD_REQUEST_BODY), then invoke the function with the proxy event and map its answer; a
 * function that does not answer within the integration timeout (29 s, or the method's TimeoutInMillis) is
 * INTEGRATION_TIMEOUT (504).
 * A function error, a failed invoke or a malformed proxy response is a DEFAULT_5XX gateway response (502
 * {"message": "Internal server error"} unless the template's DEFAULT_5XX says otherwise) and is logged loudly.
 * <p>
 * Every gateway error uses the template's GatewayResponse for its type when there is one (status, static
 * headers, body template with $context variables), else the DEFAULT_4XX/DEFAULT_5XX one, else AWS's default
 * ({@link GatewayResponses}). The checks of a RequestValidator are {@link RequestValidation}'s, the event is
 * {@link ProxyEvent}'s, the function's answer is read by {@link ProxyResponse}.
 * <p>
 * Before it invokes, API Gateway needs the function's permission ({@link InvokePermission}: an AWS::Lambda::Permission
 * for apigateway.amazonaws.com and the method's execute-api ARN); without it AWS answers API_CONFIGURATION_ERROR (500
 * {"message": "Internal server error"}, or the template's DEFAULT_5XX) and logs "Execution failed due to
 * configuration error: Invalid permissions on Lambda function".
 */
public final class ApiGateway {
    /** API Gateway's payload limit. */
    public static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;
    /**
     * API Gateway's limit on the request line and headers together (REST APIs: 10,240 bytes, a hard quota). AWS documents
     * the limit, not its answer; the only gateway response for a request too large is REQUEST_TOO_LARGE (413), which is
     * what this stack answers (docs/reliability.md, "Bad input").
     */
    public static final int MAX_REQUEST_LINE_AND_HEADER_BYTES = 10_240;

    private final Map<String, RestApiModel> apis = new LinkedHashMap<>();
    private final Map<String, ApiRouter> routers = new LinkedHashMap<>();
    private final LambdaInvoker invoker;
    private final Consumer<String> log;
    private final InvokePermission permission;
    private final SecureRandom random = new SecureRandom();
    private final Throttling throttling;
    /** Runs the integrations, so that a request can be answered when one takes longer than its timeout. */
    private final ExecutorService integrations = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "apigw-integration");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param apis    the REST APIs
     * @param invoker runs the functions
     * @param log     receives one line per request, and the details of every 5xx
     */
    public ApiGateway(List<RestApiModel> apis, LambdaInvoker invoker, Consumer<String> log) {
        this(apis, invoker, log, InvokePermission.ALLOW_ALL, new Throttling());
    }

    /**
     * @param permission whether API Gateway may invoke a method's function (the function's AWS::Lambda::Permission
     *                   statements); a method it may not invoke answers API_CONFIGURATION_ERROR (500) as on AWS
     */
    public ApiGateway(List<RestApiModel> apis, LambdaInvoker invoker, Consumer<String> log, InvokePermission permission) {
        this(apis, invoker, log, permission, new Throttling());
    }

    /** @param throttling the stages' and usage plans' throttles and quotas, with their clocks */
    public ApiGateway(List<RestApiModel> apis, LambdaInvoker invoker, Consumer<String> log, Throttling throttling) {
        this(apis, invoker, log, InvokePermission.ALLOW_ALL, throttling);
    }

    /**
     * @param permission whether API Gateway may invoke a method's function (see above)
     * @param throttling the stages' and usage plans' throttles and quotas, with their clocks
     */
    public ApiGateway(List<RestApiModel> apis, LambdaInvoker invoker, Consumer<String> log, InvokePermission permission,
                      Throttling throttling) {
        this.throttling = throttling;
        for (RestApiModel api : apis) {
            this.apis.put(api.id(), api);
            this.routers.put(api.id(), new ApiRouter(api));
        }
        this.invoker = invoker;
        this.log = log;
        this.permission = permission == null ? InvokePermission.ALLOW_ALL : permission;
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
            outcome = new Outcome(GatewayResponses.plain(500, "{\"message\":\"Internal server error\"}", requestId), null);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        log.accept("API " + request.stage() + " " + request.httpMethod() + " " + request.path()
                + (request.rawQuery() == null ? "" : "?" + request.rawQuery()) + " -> " + outcome.response().status()
                + (outcome.function() == null ? "" : " " + outcome.function()) + " " + ms + " ms requestId=" + requestId);
        return outcome.response();
    }

    private record Outcome(ApiResponse response, String function) {
    }

    /**
     * The path of the resource a request is for ({@code /commands/{transaction_id}}), found as {@link #handle} finds it,
     * or null when no API, stage or resource matches (the console counts requests by it).
     */
    public String resourceOf(ApiRequest request) {
        RestApiModel api = apiFor(request);
        ApiRouter router = api == null ? null : routers.get(api.id());
        return router == null ? null : router.match(request.path()).map(m -> m.resource().path()).orElse(null);
    }

    /** The API a request names: by id in LocalStack's URL form, else the first one with the request's stage. */
    private RestApiModel apiFor(ApiRequest request) {
        return request.apiId() != null ? apis.get(request.apiId())
                : apis.values().stream().filter(a -> a.stages().containsKey(request.stage())).findFirst().orElse(null);
    }

    private Outcome route(ApiRequest request, String requestId) {
        RestApiModel api = apiFor(request);
        if (request.apiId() != null) {
            if (api == null) {
                return new Outcome(GatewayResponses.plain(404, GatewayResponses.json("message", "no REST API with id " + request.apiId()
                        + " in the local stack (it serves: " + describeApis() + ")"), requestId), null);
            }
        } else {
            if (api == null) {
                return new Outcome(GatewayResponses.plain(404, GatewayResponses.json("message", "no REST API has a stage " + request.stage()
                        + " (the local stack serves: " + describeApis() + ")"), requestId), null);
            }
        }
        RestApiModel.Stage stage = api.stages().get(request.stage());
        if (stage == null) {
            return new Outcome(GatewayResponses.plain(403, GatewayResponses.json("message", "Forbidden: the REST API " + api.id() + " has no stage "
                    + request.stage() + " (stages: " + String.join(", ", api.stages().keySet()) + ")"), requestId), null);
        }
        GatewayResponses.Errors errors = new GatewayResponses.Errors(api, stage, request, requestId);
        ApiRouter router = routers.get(api.id());
        Optional<ApiRouter.Match> match = router.match(request.path());
        Optional<RestApiModel.Method> method = match.flatMap(m -> router.method(m.resource(), request.httpMethod()));
        if (method.isEmpty()) {
            return new Outcome(errors.respond("MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token", null,
                    "MissingAuthenticationTokenException", match.map(ApiRouter.Match::resource).orElse(null)), null);
        }
        errors.resource = match.get().resource();
        RestApiModel.Method m = method.get();
        if (request.body().length > MAX_REQUEST_BYTES
                || request.requestLineAndHeaderBytes() > MAX_REQUEST_LINE_AND_HEADER_BYTES) {
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
        Throttling.Decision admitted = throttling.admit(api.id(), stage.name(), stage.limits(), errors.resource.path(),
                m.httpMethod(), key == null ? null : key.id());
        if (admitted.result() == Throttling.Result.THROTTLED) {
            log.accept("API " + request.httpMethod() + " " + request.path() + ": throttled by " + admitted.limit());
            return new Outcome(errors.respond("THROTTLED", 429, "Too Many Requests", null, "TooManyRequestsException",
                    errors.resource), null);
        }
        if (admitted.result() == Throttling.Result.QUOTA_EXCEEDED) {
            log.accept("API " + request.httpMethod() + " " + request.path() + ": over " + admitted.limit());
            return new Outcome(errors.respond("QUOTA_EXCEEDED", 429, "Limit Exceeded", null, "LimitExceededException",
                    errors.resource), null);
        }
        if (m.validateParameters()) {
            List<String> missing = RequestValidation.missingParameters(m, request, match.get());
            if (!missing.isEmpty()) {
                String message = "Missing required request parameters: [" + String.join(", ", missing) + "]";
                return new Outcome(errors.respond("BAD_REQUEST_PARAMETERS", 400, message, message, "BadRequestException",
                        errors.resource), null);
            }
        }
        if (m.validateBody()) {
            String problem = RequestValidation.bodyProblem(m, request);
            if (problem != null) {
                return new Outcome(errors.respond("BAD_REQUEST_BODY", 400, "Invalid request body", problem,
                        "BadRequestException", errors.resource), null);
            }
        }
        String refused = permission.denial(api.id(), stage.name(), request.httpMethod(), errors.resource.path(),
                m.functionName());
        if (refused != null) {
            // AWS: 500 {"message": "Internal server error"}; the execution log says why
            log.accept("ERROR API " + request.httpMethod() + " " + request.path() + ": " + refused);
            return new Outcome(errors.respond("API_CONFIGURATION_ERROR", 500, "Internal server error", null,
                    "InternalServerErrorException", errors.resource), m.functionName());
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
        Future<InvokeResult> call = integrations.submit(() -> invoker.invoke(m.functionName(), event));
        try {
            result = call.get(m.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // API Gateway stops waiting; the function goes on (and its outcome is logged by the Lambda runtime)
            log.accept("ERROR API " + request.httpMethod() + " " + request.path() + ": " + m.functionName() + " did not answer"
                    + " within the integration timeout (" + m.timeoutMs() + " ms): INTEGRATION_TIMEOUT");
            return new Outcome(errors.respond("INTEGRATION_TIMEOUT", 504, "Endpoint request timed out", null,
                    "InternalServerErrorException", errors.resource), m.functionName());
        } catch (ExecutionException e) {
            log.accept("ERROR API " + request.httpMethod() + " " + request.path() + ": invoking " + m.functionName()
                    + " failed: " + e.getCause());
            return new Outcome(errors.respond("DEFAULT_5XX", 500, "Internal server error", null,
                    "InternalServerErrorException", errors.resource), m.functionName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
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
            return new Outcome(ProxyResponse.parse(result.payload(), requestId), m.functionName());
        } catch (ProxyResponse.MalformedResponse e) {
            log.accept("ERROR API " + request.httpMethod() + " " + request.path() + ": malformed Lambda proxy response"
                    + " from " + m.functionName() + " (" + e.getMessage() + "): " + text(result.payload(), 2000));
            return new Outcome(errors.respond("DEFAULT_5XX", 502, "Internal server error", null,
                    "InternalServerErrorException", errors.resource), m.functionName());
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
