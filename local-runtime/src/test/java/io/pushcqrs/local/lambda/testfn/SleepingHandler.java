package io.pushcqrs.local.lambda.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sleeps {"ms":N} milliseconds, then answers its pid. Logs "sleeping <requestId>" when it starts. */
public class SleepingHandler implements RequestStreamHandler {

    private static final Pattern MS = Pattern.compile("\"ms\"\\s*:\\s*(\\d+)");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Matcher m = MS.matcher(new String(input.readAllBytes(), StandardCharsets.UTF_8));
        long ms = m.find() ? Long.parseLong(m.group(1)) : 0;
        System.out.println("sleeping " + context.getAwsRequestId() + " for " + ms + " ms");
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        output.write(("{\"pid\":" + ProcessHandle.current().pid() + ",\"slept\":" + ms + "}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
