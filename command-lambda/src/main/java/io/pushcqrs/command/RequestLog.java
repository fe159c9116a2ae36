package io.pushcqrs.command;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.pushcqrs.model.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one log line of a request, as JSON: request ids, method, path, transaction_id, status,
 * outcome or error, duration. Never the body, headers or API key.
 */
final class RequestLog {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();

    RequestLog(String requestId, String apiRequestId, String method, String path) {
        fields.put("level", "INFO");
        fields.put("msg", "command request");
        fields.put("request_id", requestId);
        fields.put("api_request_id", apiRequestId);
        fields.put("method", method);
        fields.put("path", path);
    }

    RequestLog put(String key, Object value) {
        if (value != null) {
            fields.put(key, value);
        }
        return this;
    }

    /** Records a failure; 5xx lines are logged as ERROR with the exception and where it was thrown. */
    RequestLog failure(String code, String message, Throwable cause) {
        put("error_code", code);
        put("error", message);
        if (cause != null) {
            fields.put("level", "ERROR");
            put("exception", cause.toString());
            StackTraceElement[] trace = cause.getStackTrace();
            if (trace.length > 0) {
                put("at", trace[0].toString());
            }
            if (cause.getCause() != null) {
                put("cause", cause.getCause().toString());
            }
        }
        return this;
    }

    /** Writes the line (with status and duration) to the Lambda logger, or stdout without a context. */
    String write(Context context, int status) {
        fields.put("status", status);
        fields.put("duration_ms", (System.nanoTime() - startNanos) / 1_000_000);
        String line = Json.write(fields);
        LambdaLogger logger = context == null ? null : context.getLogger();
        if (logger != null) {
            logger.log(line + "\n");
        } else {
            System.out.println(line);
        }
        return line;
    }
}
