package io.pushcqrs.local.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushcqrs.local.apigw.PercentCodec;
import io.pushcqrs.local.lambda.FunctionSpec;
import io.pushcqrs.local.lambda.InvokeResult;
import io.pushcqrs.local.lambda.LambdaInvoker;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The Lambda API on the edge, as the AWS SDKs and CLI call it:
 * <ul>
 *   <li>{@code POST /2015-03-31/functions/{name}/invocations}: Invoke. The name may be a function name, an ARN
 *       or a partial ARN (URL-encoded or not), with an optional {@code :$LATEST} qualifier or {@code Qualifier}
 *       parameter. {@code X-Amz-Invocation-Type}: RequestResponse (default) answers 200 with the function's
 *       payload, plus {@code X-Amz-Function-Error: Unhandled} when it failed; Event answers 202 at once and
 *       invokes in the background; DryRun answers 204.</li>
 *   <li>{@code GET /2015-03-31/functions/}: ListFunctions; {@code GET .../functions/{name}} GetFunction;
 *       {@code GET .../functions/{name}/configuration} GetFunctionConfiguration.</li>
 * </ul>
 * Errors have the Lambda service's shape (header {@code x-amzn-ErrorType}, body {@code {"Type":..,"message":..}}),
 * so SDKs raise ResourceNotFoundException, TooManyRequestsException, RequestEntityTooLargeException (the code AWS answers
 * a synchronous invoke over 6 MB with)...
 */
public final class LambdaApi {
    /** The Lambda service's synchronous payload limit. */
    public static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    static final String PREFIX = "/2015-03-31/functions";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LambdaInvoker invoker;
    /** The functions by name; replaced as a whole when a deployment changes them ({@link #setFunctions}). */
    private volatile Map<String, FunctionSpec> functions = Map.of();
    private final Consumer<String> log;
    private final ExecutorService async = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lambda-event-invoke");
        t.setDaemon(true);
        return t;
    });

    /** A response: status, headers, body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    public LambdaApi(LambdaInvoker invoker, List<FunctionSpec> functions, Consumer<String> log) {
        this.invoker = invoker;
        setFunctions(functions);
        this.log = log;
    }

    /** The functions this API answers for from now on (a deployment created, changed or deleted some). */
    public void setFunctions(List<FunctionSpec> specs) {
        Map<String, FunctionSpec> byName = new LinkedHashMap<>();
        specs.forEach(f -> byName.put(f.name(), f));
        this.functions = java.util.Collections.unmodifiableMap(byName);
    }

    /** True for the paths this API serves. */
    public static boolean serves(String rawPath) {
        return rawPath.equals(PREFIX) || rawPath.startsWith(PREFIX + "/");
    }

    /**
     * Answers one request.
     *
     * @param method         the HTTP method
     * @param rawPath        the path as sent
     * @param rawQuery       the query string, or null
     * @param invocationType the X-Amz-Invocation-Type header, or null
     * @param body           the request body
     */
    public Answer handle(String method, String rawPath, String rawQuery, String invocationType, byte[] body) {
        String rest = rawPath.substring(PREFIX.length());
        if (rest.isEmpty() || rest.equals("/")) {
            return method.equals("GET") ? listFunctions() : unsupported(method, rawPath);
        }
        String[] parts = rest.substring(1).split("/");
        String qualifier = query(rawQuery, "Qualifier");
        if (parts.length == 2 && parts[1].equals("invocations") && method.equals("POST")) {
            return invoke(PercentCodec.decode(parts[0]), qualifier, invocationType, body);
        }
        if (method.equals("GET") && (parts.length == 1 || (parts.length == 2 && parts[1].equals("configuration")))) {
            FunctionSpec f = find(PercentCodec.decode(parts[0]), qualifier);
            if (f == null) {
                return notFound(PercentCodec.decode(parts[0]));
            }
            ObjectNode config = configuration(f);
            if (parts.length == 2) {
                return json(200, config);
            }
            ObjectNode out = JSON.createObjectNode();
            out.set("Configuration", config);
            out.putObject("Code").put("RepositoryType", "S3").put("Location", f.codePath().toUri().toString());
            return json(200, out);
        }
        return unsupported(method, rawPath);
    }

    private Answer invoke(String nameOrArn, String qualifier, String invocationType, byte[] payload) {
        FunctionSpec f = find(nameOrArn, qualifier);
        if (f == null) {
            return notFound(nameOrArn);
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return error(413, "RequestEntityTooLargeException", "Request must be smaller than " + MAX_PAYLOAD_BYTES
                    + " bytes for the InvokeFunction operation");
        }
        byte[] event = payload.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : payload;
        String type = invocationType == null || invocationType.isBlank() ? "RequestResponse" : invocationType;
        switch (type) {
            case "DryRun":
                return new Answer(204, Map.of("x-amzn-RequestId", UUID.randomUUID().toString()), new byte[0]);
            case "Event": {
                String requestId = UUID.randomUUID().toString();
                async.submit(() -> {
                    try {
                        InvokeResult r = invoker.invoke(f.name(), event);
                        if (r.statusCode() != 200 || r.failed()) {
                            log.accept("ERROR Lambda async invoke of " + f.name() + " (request " + requestId + ") ended with "
                                    + r.statusCode() + (r.failed() ? " " + r.functionError() : "") + ": "
                                    + new String(r.payload() == null ? new byte[0] : r.payload(), StandardCharsets.UTF_8));
                        }
                    } catch (RuntimeException e) {
                        log.accept("ERROR Lambda async invoke of " + f.name() + " (request " + requestId + ") failed: " + e);
                    }
                });
                return new Answer(202, Map.of("x-amzn-RequestId", requestId), new byte[0]);
            }
            case "RequestResponse":
                break;
            default:
                return error(400, "InvalidParameterValueException", "InvocationType " + type
                        + " is not valid (RequestResponse, Event or DryRun)");
        }
        InvokeResult r;
        try {
            r = invoker.invoke(f.name(), event);
        } catch (RuntimeException e) {
            log.accept("ERROR Lambda invoke of " + f.name() + " failed in the local runtime: " + e);
            return error(500, "ServiceException", "the local Lambda runtime failed to invoke " + f.name() + ": " + e.getMessage());
        }
        switch (r.statusCode()) {
            case 200: {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", "application/json");
                headers.put("X-Amz-Executed-Version", "$LATEST");
                if (r.requestId() != null) {
                    headers.put("x-amzn-RequestId", r.requestId());
                }
                if (r.failed()) {
                    headers.put("X-Amz-Function-Error", r.functionError());
                }
                return new Answer(200, headers, r.payload() == null ? new byte[0] : r.payload());
            }
            case 404:
                return notFound(nameOrArn);
            case 429: {
                // the runtime's body as is: {"Reason":..,"Type":"User","message":"Rate Exceeded."}
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", "application/json");
                headers.put("x-amzn-ErrorType", "TooManyRequestsException");
                headers.put("x-amzn-RequestId", r.requestId() == null ? UUID.randomUUID().toString() : r.requestId());
                return new Answer(429, headers, r.payload() == null || r.payload().length == 0
                        ? "{\"Type\":\"User\",\"message\":\"Rate Exceeded.\"}".getBytes(StandardCharsets.UTF_8) : r.payload());
            }
            case 413:
                return error(413, "RequestEntityTooLargeException", "Request must be smaller than " + MAX_PAYLOAD_BYTES
                        + " bytes for the InvokeFunction operation");
            default:
                return error(r.statusCode() >= 400 ? r.statusCode() : 500, "ServiceException",
                        "the local Lambda runtime could not run " + f.name() + ": "
                                + new String(r.payload() == null ? new byte[0] : r.payload(), StandardCharsets.UTF_8));
        }
    }

    /** The function for a name, ARN or partial ARN (with an optional qualifier that must be $LATEST), or null. */
    FunctionSpec find(String nameOrArn, String qualifier) {
        String s = nameOrArn;
        int i = s.indexOf("function:");
        if (i >= 0) {
            s = s.substring(i + "function:".length());
        }
        String q = qualifier;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            q = s.substring(colon + 1);
            s = s.substring(0, colon);
        }
        if (q != null && !q.isEmpty() && !q.equals("$LATEST")) {
            return null;
        }
        return functions.get(s);
    }

    private Answer listFunctions() {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("Functions");
        functions.values().forEach(f -> list.add(configuration(f)));
        return json(200, out);
    }

    private static ObjectNode configuration(FunctionSpec f) {
        ObjectNode c = JSON.createObjectNode();
        c.put("FunctionName", f.name());
        c.put("FunctionArn", f.arn());
        c.put("Handler", f.handler());
        c.put("Timeout", f.timeoutSeconds());
        c.put("MemorySize", f.memoryMb());
        c.put("Version", "$LATEST");
        c.put("State", "Active");
        c.put("PackageType", "Zip");
        ObjectNode vars = c.putObject("Environment").putObject("Variables");
        f.environment().forEach(vars::put);
        return c;
    }

    private Answer notFound(String nameOrArn) {
        String name = nameOrArn.contains(":function:") ? nameOrArn
                : "arn:aws:lambda:us-east-1:000000000000:function:" + nameOrArn;
        return error(404, "ResourceNotFoundException", "Function not found: " + name);
    }

    private static Answer unsupported(String method, String path) {
        return error(400, "InvalidRequestContentException", method + " " + path + " is not emulated by the local stack"
                + " (Invoke, GetFunction, GetFunctionConfiguration and ListFunctions are)");
    }

    private static Answer error(int status, String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("Type", "User");
        body.put("message", message);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("x-amzn-ErrorType", type);
        headers.put("x-amzn-RequestId", UUID.randomUUID().toString());
        return new Answer(status, headers, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Answer json(int status, ObjectNode body) {
        return new Answer(status, Map.of("Content-Type", "application/json"), body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String query(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && PercentCodec.decodeQuery(pair.substring(0, eq)).equals(name)) {
                return PercentCodec.decodeQuery(pair.substring(eq + 1));
            }
        }
        return null;
    }

    /** Stops the background (Event) invocations' threads. */
    public void close() {
        async.shutdownNow();
    }
}
