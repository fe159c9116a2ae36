package io.pushcqrs.queryresult;

import io.pushcqrs.model.json.Json;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** One JSON object per log line (CloudWatch Logs Insights reads the fields); never a multi-line stack trace. */
public final class JsonLog {
    private final Consumer<String> sink;

    public JsonLog(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Lines to standard output, which Lambda sends to CloudWatch Logs. */
    public static JsonLog standardOut() {
        return new JsonLog(System.out::println);
    }

    public void info(String requestId, String message, Map<String, ?> fields) {
        write("INFO", requestId, message, fields, null);
    }

    public void warn(String requestId, String message, Map<String, ?> fields) {
        write("WARN", requestId, message, fields, null);
    }

    public void error(String requestId, String message, Map<String, ?> fields, Throwable error) {
        write("ERROR", requestId, message, fields, error);
    }

    private void write(String level, String requestId, String message, Map<String, ?> fields, Throwable error) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("logger", "query-result");
        if (requestId != null) {
            line.put("request_id", requestId);
        }
        line.put("message", message);
        fields.forEach((k, v) -> {
            if (v != null) {
                line.put(k, v);
            }
        });
        if (error != null) {
            line.put("error", error.toString());
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != error) {
                line.put("root_cause", root.toString());
            }
            line.put("at", Arrays.stream(error.getStackTrace()).limit(5).map(StackTraceElement::toString)
                    .collect(Collectors.joining(" < ")));
        }
        String text;
        try {
            text = Json.write(line);
        } catch (RuntimeException e) {
            text = "{\"level\":\"" + level + "\",\"logger\":\"query-result\",\"message\":\"unloggable line: "
                    + e.getClass().getSimpleName() + "\"}";
        }
        sink.accept(text);
    }
}
