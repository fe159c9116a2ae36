package io.pushcqrs.local.lambda.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sleeps {"ms":N} milliseconds, or until the file {"untilFile":"/path"} exists, then answers its pid. Logs
 * "sleeping <requestId>" when it starts.
 */
public class SleepingHandler implements RequestStreamHandler {

    private static final Pattern MS = Pattern.compile("\"ms\"\\s*:\\s*(\\d+)");
    private static final Pattern UNTIL_FILE = Pattern.compile("\"untilFile\"\\s*:\\s*\"([^\"]+)\"");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = MS.matcher(event);
        long ms = m.find() ? Long.parseLong(m.group(1)) : 0;
        Matcher until = UNTIL_FILE.matcher(event);
        System.out.println("sleeping " + context.getAwsRequestId() + " for " + ms + " ms");
        try {
            if (until.find()) {
                // the test creates the file when it is done with this invocation running (the function's timeout bounds it)
                while (!Files.exists(Path.of(until.group(1)))) {
                    Thread.sleep(10);
                }
            } else {
                Thread.sleep(ms);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        output.write(("{\"pid\":" + ProcessHandle.current().pid() + ",\"slept\":" + ms + "}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
