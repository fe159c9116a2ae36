package io.pushcqrs.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The payloads AWS Lambda answers with when something fails, and the API error type each status code stands for
 * (for the edge's {@code x-amzn-ErrorType} header).
 */
public final class LambdaErrors {

    /** The largest synchronous Invoke request payload (AWS: 6 MB). */
    public static final int MAX_REQUEST_BYTES = 6_291_456;
    /** The largest synchronous Invoke response payload (AWS reports this number). */
    public static final int MAX_RESPONSE_BYTES = 6_291_556;

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter AWS_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private LambdaErrors() {
    }

    /**
     * The AWS error code for an InvokeResult's status code (200 has none): 404 ResourceNotFoundException,
     * 413 RequestEntityTooLargeException, 429 TooManyRequestsException, 500 ServiceException.
     */
    public static String apiErrorType(int statusCode) {
        return switch (statusCode) {
            case 200 -> null;
            case 404 -> "ResourceNotFoundException";
            case 413 -> "RequestEntityTooLargeException";
            case 429 -> "TooManyRequestsException";
            default -> "ServiceException";
        };
    }

    static byte[] notFound(String arnOrName) {
        return api("User", "Function not found: " + arnOrName, null);
    }

    /** A synchronous invoke over a concurrency limit: Reason ReservedFunctionConcurrentInvocationLimitExceeded or ConcurrentInvocationLimitExceeded. */
    static byte[] tooManyRequests(String reason) {
        return api("User", "Rate Exceeded.", reason);
    }

    /** Every environment (JVM) the local stack allows a function (--max-envs) stayed busy for the wait bound. */
    static byte[] localEnvironmentsBusy(String function, int max, long waitedMs) {
        return api("User", "Rate Exceeded. (the local stack's " + max + " environment(s) of " + function + " stayed busy for "
                + waitedMs + " ms; this bound is the machine's, --max-envs, not AWS's)", "LocalEnvironmentLimitExceeded");
    }

    static byte[] requestTooLarge() {
        return api("User", "Request must be smaller than " + MAX_REQUEST_BYTES + " bytes for the InvokeFunction operation",
                null);
    }

    static byte[] service(String message) {
        return api("Service", message, null);
    }

    private static byte[] api(String type, String message, String reason) {
        ObjectNode node = MAPPER.createObjectNode();
        if (reason != null) {
            node.put("Reason", reason);
        }
        node.put("Type", type);
        node.put("message", message);
        return bytes(node);
    }

    /** {@code {"errorMessage":"2026-01-01T00:00:00.000Z <id> Task timed out after 3.00 seconds","errorType":"Sandbox.Timedout"}} */
    static byte[] timedOut(String requestId, double seconds) {
        return function(AWS_TIME.format(Instant.now()) + " " + requestId + " Task timed out after "
                + String.format(Locale.ROOT, "%.2f", seconds) + " seconds", "Sandbox.Timedout");
    }

    /** The init phase (JVM start to the first /next) took longer than the runtime allows. */
    static byte[] initTimedOut(String requestId, double seconds) {
        return function(AWS_TIME.format(Instant.now()) + " " + requestId + " Init timed out after "
                + String.format(Locale.ROOT, "%.2f", seconds) + " seconds", "Sandbox.Timedout");
    }

    /** {@code RequestId: <id> Error: Runtime exited with error: exit status 3} (or {@code signal: killed}). */
    static byte[] exited(String requestId, String exitDescription) {
        return function("RequestId: " + requestId + " Error: Runtime exited with error: " + exitDescription,
                "Runtime.ExitError");
    }

    static byte[] responseTooLarge(long size) {
        return function("Response payload size (" + size + " bytes) exceeded maximum allowed payload size ("
                + MAX_RESPONSE_BYTES + " bytes).", "Function.ResponseSizeTooLarge");
    }

    static byte[] function(String message, String errorType) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("errorMessage", message);
        node.put("errorType", errorType);
        return bytes(node);
    }

    /**
     * The error body the runtime posted, passed through when it is a JSON object (adding errorType from the header
     * when missing); otherwise wrapped as errorMessage.
     */
    static byte[] normalizeRuntimeError(byte[] body, String headerType) {
        String type = headerType == null || headerType.isBlank() ? "Runtime.Unknown" : headerType;
        try {
            JsonNode node = body.length == 0 ? null : MAPPER.readTree(body);
            if (node instanceof ObjectNode object) {
                if (!object.hasNonNull("errorType")) {
                    object.put("errorType", type);
                    return bytes(object);
                }
                return body;
            }
        } catch (IOException e) {
            // not JSON: wrap it below
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return function(text.isEmpty() ? "Unknown error (the runtime posted no details)" : text, type);
    }

    /** errorType of an error payload, or the fallback. */
    static String errorTypeOf(byte[] payload, String fallback) {
        try {
            JsonNode node = MAPPER.readTree(payload);
            if (node != null && node.hasNonNull("errorType")) {
                return node.get("errorType").asText();
            }
        } catch (IOException e) {
            // fall back
        }
        return fallback;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
