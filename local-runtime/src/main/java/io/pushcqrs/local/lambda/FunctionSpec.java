package io.pushcqrs.local.lambda;

import java.nio.file.Path;
import java.util.Map;

/**
 * One Lambda function as the template declares it.
 *
 * @param name           the FunctionName (what Invoke and event source mappings name it by)
 * @param arn            arn:aws:lambda:REGION:ACCOUNT:function:NAME
 * @param handler        e.g. io.pushcqrs.command.CommandApiHandler::handleRequest
 * @param codePath       the function's code: a jar file (or a folder of classes)
 * @param environment    Environment.Variables from the template (the runtime adds the endpoint settings)
 * @param timeoutSeconds Timeout (enforced: a timed-out environment is killed and replaced)
 * @param memoryMb       MemorySize: bounds the whole JVM (heap, -XX:MaxRAM, its resident memory) and its CPU share
 * @param runtime        Runtime (java17, java21...): which Java runs it, AWS_EXECUTION_ENV, the newest class file allowed
 * @param reservedConcurrency ReservedConcurrentExecutions, or {@link #UNRESERVED}: at most that many invocations at once,
 *                       the others refused with 429 at once
 */
public record FunctionSpec(String name, String arn, String handler, Path codePath, Map<String, String> environment,
                           int timeoutSeconds, int memoryMb, String runtime, int reservedConcurrency) {
    /** No ReservedConcurrentExecutions: the function shares the stack's unreserved concurrency. */
    public static final int UNRESERVED = -1;
    /** The runtime of a spec that names none: the JVM the local stack runs on is a Java 17. */
    public static final String DEFAULT_RUNTIME = "java17";

    public FunctionSpec {
        environment = Map.copyOf(environment);
        runtime = runtime == null || runtime.isBlank() ? DEFAULT_RUNTIME : runtime;
    }

    /** A java17 function without reserved concurrency. */
    public FunctionSpec(String name, String arn, String handler, Path codePath, Map<String, String> environment,
                        int timeoutSeconds, int memoryMb) {
        this(name, arn, handler, codePath, environment, timeoutSeconds, memoryMb, DEFAULT_RUNTIME, UNRESERVED);
    }

    /** The same function with more environment variables (they win over the template's). */
    public FunctionSpec withEnvironment(Map<String, String> more) {
        Map<String, String> env = new java.util.LinkedHashMap<>(environment);
        env.putAll(more);
        return new FunctionSpec(name, arn, handler, codePath, env, timeoutSeconds, memoryMb);
    }

    /**
     * What Lambda adds to a function's environment from its LoggingConfig: AWS_LAMBDA_LOG_FORMAT (JSON or Text, as the
     * runtime reads it) and, with JSON, AWS_LAMBDA_LOG_LEVEL (the ApplicationLogLevel, INFO when not given). The RIC
     * formats and filters the function's log lines by them. Nothing when the template has no LoggingConfig.
     */
    public static Map<String, String> loggingEnvironment(String logFormat, String applicationLogLevel) {
        if (logFormat == null || logFormat.isBlank()) {
            return Map.of();
        }
        if (!"JSON".equalsIgnoreCase(logFormat.trim())) {
            return Map.of("AWS_LAMBDA_LOG_FORMAT", "TEXT");
        }
        String level = applicationLogLevel == null || applicationLogLevel.isBlank() ? "INFO" : applicationLogLevel.trim();
        return Map.of("AWS_LAMBDA_LOG_FORMAT", "JSON", "AWS_LAMBDA_LOG_LEVEL", level.toUpperCase(java.util.Locale.ROOT));
    }
}
