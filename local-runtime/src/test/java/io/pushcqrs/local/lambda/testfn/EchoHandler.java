package io.pushcqrs.local.lambda.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers what it sees: its pid, how many invocations this JVM served, the input, the context and some of its
 * environment. With {"bigResponseBytes":N} it answers N bytes instead.
 */
public class EchoHandler implements RequestStreamHandler {

    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final Pattern BIG = Pattern.compile("\"bigResponseBytes\"\\s*:\\s*(\\d+)");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String in = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        int count = COUNT.incrementAndGet();
        context.getLogger().log("echo request " + context.getAwsRequestId() + " count " + count);
        Matcher big = BIG.matcher(in);
        if (big.find()) {
            byte[] bytes = new byte[Integer.parseInt(big.group(1))];
            java.util.Arrays.fill(bytes, (byte) 'x');
            output.write('"');
            output.write(bytes, 0, bytes.length - 2);
            output.write('"');
            return;
        }
        String json = "{\"pid\":" + ProcessHandle.current().pid()
                + ",\"count\":" + count
                + ",\"input\":" + quote(in)
                + ",\"requestId\":" + quote(context.getAwsRequestId())
                + ",\"arn\":" + quote(context.getInvokedFunctionArn())
                + ",\"functionName\":" + quote(context.getFunctionName())
                + ",\"memory\":" + context.getMemoryLimitInMB()
                + ",\"remainingMs\":" + context.getRemainingTimeInMillis()
                + ",\"clientContext\":" + quote(context.getClientContext() == null ? null
                        : String.valueOf(context.getClientContext().getCustom()))
                + ",\"cwd\":" + quote(System.getProperty("user.dir"))
                + ",\"tmpdir\":" + quote(System.getProperty("java.io.tmpdir"))
                + ",\"maxHeapMb\":" + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                + ",\"javaFeature\":" + Runtime.version().feature()
                + ",\"processors\":" + Runtime.getRuntime().availableProcessors()
                + ",\"jvmArgs\":" + quote(String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean()
                        .getInputArguments()))
                + ",\"env\":{" + env("AWS_LAMBDA_FUNCTION_NAME") + "," + env("AWS_LAMBDA_FUNCTION_VERSION") + ","
                + env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE") + "," + env("AWS_LAMBDA_LOG_GROUP_NAME") + ","
                + env("AWS_LAMBDA_RUNTIME_API") + "," + env("AWS_REGION") + "," + env("AWS_DEFAULT_REGION") + ","
                + env("AWS_ENDPOINT_URL") + "," + env("CUSTOM") + "," + env("_HANDLER") + ","
                + env("LAMBDA_TASK_ROOT") + "," + env("AWS_EXECUTION_ENV") + "}"
                + ",\"envNames\":[" + String.join(",", new java.util.TreeSet<>(System.getenv().keySet()).stream()
                        .map(EchoHandler::quote).toList()) + "]"
                + "}";
        output.write(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String env(String name) {
        return quote(name) + ":" + quote(System.getenv(name));
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
