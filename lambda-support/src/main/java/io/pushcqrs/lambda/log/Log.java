package io.pushcqrs.lambda.log;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import io.pushcqrs.model.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The log of every function: one JSON object per line in the shape of Lambda's JSON log format
 * (docs/architecture.md, "Logging as Lambda does it"). Every line has Lambda's own keys {@code timestamp},
 * {@code level}, {@code message} and {@code AWSRequestId}, then the line's fields in snake_case (the keys are listed
 * in CONTRIBUTING.md), then, for a failure, Lambda's {@code errorType}, {@code errorMessage} and {@code stackTrace}.
 * <p>
 * Lines go to the Lambda runtime's logger with their level ({@code LambdaLogger.log(byte[], LogLevel)}, the path
 * aws-lambda-java-log4j2 takes): the runtime drops lines below AWS_LAMBDA_LOG_LEVEL and, with
 * AWS_LAMBDA_LOG_FORMAT=JSON (the template's LoggingConfig), sends them as JSON events with its own init and error
 * lines in the same shape. Never a body, a header, an API key, a cursor or an item's content.
 */
public final class Log {
    /** The levels lines are written at. */
    public enum Level {
        DEBUG(LogLevel.DEBUG), INFO(LogLevel.INFO), WARN(LogLevel.WARN), ERROR(LogLevel.ERROR);

        private final LogLevel lambda;

        Level(LogLevel lambda) {
            this.lambda = lambda;
        }

        /** The one rule for request lines: 5xx ERROR, 4xx WARN, anything else INFO. */
        public static Level ofStatus(int status) {
            return status >= 500 ? ERROR : status >= 400 ? WARN : INFO;
        }
    }

    /** Where lines go: the context's logger when there is one, else the runtime's. */
    @FunctionalInterface
    public interface Sink {
        void write(Context context, Level level, String line);
    }

    /** How many frames of a stack trace a line keeps. */
    static final int STACK_FRAMES = 5;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final Sink LAMBDA = (context, level, line) -> {
        LambdaLogger logger = context != null && context.getLogger() != null ? context.getLogger()
                : LambdaRuntime.getLogger();
        logger.log((line + "\n").getBytes(StandardCharsets.UTF_8), level.lambda);
    };

    private final Sink sink;
    private final Clock clock;

    private Log(Sink sink, Clock clock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The functions' log: the Lambda runtime's logger. */
    public static Log lambda() {
        return new Log(LAMBDA, Clock.systemUTC());
    }

    /** A log whose lines go to {@code lines} (tests). */
    public static Log to(Consumer<String> lines) {
        return new Log((context, level, line) -> lines.accept(line), Clock.systemUTC());
    }

    /** A new line with this message; {@link Line#write} writes it. */
    public Line line(String message) {
        return new Line(message);
    }

    /** One log line being assembled: fields in the order they are put, nulls left out. */
    public final class Line {
        private final String message;
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private final long startNanos = System.nanoTime();
        private String requestId;
        private Throwable error;

        private Line(String message) {
            this.message = message;
        }

        /** The Lambda request id ({@code AWSRequestId}). */
        public Line requestId(String id) {
            this.requestId = id;
            return this;
        }

        /** Adds a field; a null value is left out. */
        public Line put(String key, Object value) {
            if (value != null) {
                fields.put(key, value);
            }
            return this;
        }

        /** The failure of this line: errorType, errorMessage, stackTrace (first frames) and the root cause. */
        public Line error(Throwable e) {
            this.error = e;
            return this;
        }

        /** Milliseconds since the line was started (a request's duration). */
        public long elapsedMillis() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }

        /** Writes the line at this level through the context's logger (or the runtime's when null); returns it. */
        public String write(Level level, Context context) {
            String line = format(level);
            sink.write(context, level, line);
            return line;
        }

        private String format(Level level) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("timestamp", TIMESTAMP.format(clock.instant()));
            out.put("level", level.name());
            out.put("message", message);
            if (requestId != null) {
                out.put("AWSRequestId", requestId);
            }
            out.putAll(fields);
            if (error != null) {
                out.put("errorType", error.getClass().getName());
                out.put("errorMessage", error.getMessage());
                List<String> frames = Arrays.stream(error.getStackTrace()).limit(STACK_FRAMES)
                        .map(StackTraceElement::toString).toList();
                out.put("stackTrace", frames);
                Throwable root = error;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                if (root != error) {
                    out.put("cause", root.toString());
                }
            }
            try {
                return Json.write(out);
            } catch (RuntimeException e) {
                return "{\"level\":\"" + level + "\",\"message\":\"unloggable line: " + e.getClass().getSimpleName()
                        + "\"}";
            }
        }
    }
}
