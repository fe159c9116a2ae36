package io.pushcqrs.local.esm.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pushcqrs.local.lambda.InvokeResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What one invocation with a batch of stream records came to, by the rules AWS documents for DynamoDB
 * stream event source mappings (with-ddb, with-ddb-batchfailurereporting):
 * <ul>
 * <li>{@link Kind#SUCCESS}: the function returned; with ReportBatchItemFailures also when the response has no
 *     {@code batchItemFailures}, a null or empty list, or is empty/null.</li>
 * <li>{@link Kind#PARTIAL_FAILURE}: ReportBatchItemFailures is on and the response names records of the batch
 *     by sequence number; {@link #failedIndex} is the position of the LOWEST of them: the records before it are
 *     done, the batch is retried from it.</li>
 * <li>{@link Kind#FUNCTION_ERROR}: the function failed (unhandled error, timeout, crash), or its partial-batch
 *     response was invalid (an {@code itemIdentifier} null, empty, missing or not in the batch, or
 *     {@code batchItemFailures} not a list), which AWS treats as a failure of the whole batch.</li>
 * <li>{@link Kind#INVOKE_ERROR}: the batch never reached the function (status other than 200 without a function
 *     error: unknown function, throttled, runtime failure; or the invoker threw). AWS does not count these
 *     against the retry attempts.</li>
 * </ul>
 *
 * @param kind        the outcome
 * @param failedIndex for PARTIAL_FAILURE the index of the first failed record in the batch, else -1
 * @param detail      a short human-readable reason ("" on success)
 * @param functionError the InvokeResult's functionError (for the on-failure message), or null
 * @param statusCode  the InvokeResult's status code (0 when the invoker threw)
 */
public record BatchOutcome(Kind kind, int failedIndex, String detail, String functionError, int statusCode) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public enum Kind { SUCCESS, PARTIAL_FAILURE, FUNCTION_ERROR, INVOKE_ERROR }

    /** Classifies the result of invoking the function with records whose sequence numbers are given, in batch order. */
    public static BatchOutcome of(InvokeResult r, List<String> sequenceNumbers, boolean reportBatchItemFailures) {
        if (r.functionError() != null) {
            return new BatchOutcome(Kind.FUNCTION_ERROR, -1, "function error " + r.functionError() + errorSummary(r.payload()),
                    r.functionError(), r.statusCode());
        }
        if (r.statusCode() != 200) {
            return new BatchOutcome(Kind.INVOKE_ERROR, -1, "invoke answered " + r.statusCode() + errorSummary(r.payload()),
                    null, r.statusCode());
        }
        if (!reportBatchItemFailures) {
            return success(r);
        }
        JsonNode body = parse(r.payload());
        if (body == null || !body.isObject()) {
            // an empty or null EventResponse, or a response that is not an object: nothing is reported as failed
            return success(r);
        }
        JsonNode failures = body.get("batchItemFailures");
        if (failures == null || failures.isNull() || (failures.isArray() && failures.isEmpty())) {
            return success(r);
        }
        if (!failures.isArray()) {
            return invalid(r, "batchItemFailures is not a list");
        }
        int lowest = Integer.MAX_VALUE;
        for (JsonNode f : failures) {
            JsonNode id = f == null ? null : f.get("itemIdentifier");
            if (id == null || id.isNull() || !id.isValueNode() || id.asText().isEmpty()) {
                return invalid(r, "a batchItemFailures entry has no itemIdentifier: " + f);
            }
            int index = sequenceNumbers.indexOf(id.asText());
            if (index < 0) {
                return invalid(r, "itemIdentifier " + id.asText() + " is not a sequence number of the batch");
            }
            lowest = Math.min(lowest, index);
        }
        return new BatchOutcome(Kind.PARTIAL_FAILURE, lowest, failures.size() + " item failure(s) reported, first "
                + sequenceNumbers.get(lowest), null, r.statusCode());
    }

    /** The invoker threw: the batch did not reach the function. */
    public static BatchOutcome invokerFailed(RuntimeException e) {
        return new BatchOutcome(Kind.INVOKE_ERROR, -1, "invoke failed: " + e, null, 0);
    }

    public boolean succeeded() {
        return kind == Kind.SUCCESS;
    }

    private static BatchOutcome success(InvokeResult r) {
        return new BatchOutcome(Kind.SUCCESS, -1, "", null, r.statusCode());
    }

    private static BatchOutcome invalid(InvokeResult r, String why) {
        return new BatchOutcome(Kind.FUNCTION_ERROR, -1, "invalid partial batch response (whole batch failed): " + why,
                null, r.statusCode());
    }

    private static JsonNode parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            return null;
        }
    }

    private static String errorSummary(byte[] payload) {
        JsonNode body = parse(payload);
        if (body != null && body.isObject() && (body.has("errorType") || body.has("errorMessage"))) {
            return ": " + body.path("errorType").asText("") + " " + abbreviate(body.path("errorMessage").asText(""));
        }
        if (payload != null && payload.length > 0) {
            return ": " + abbreviate(new String(payload, StandardCharsets.UTF_8));
        }
        return "";
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 197) + "...";
    }
}
