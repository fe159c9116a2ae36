package io.pushcqrs.local.lambda.testfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Its first init (in a working folder's parent where the marker file {@code ../once-slow-init} is absent) takes a
 * minute and leaves the marker; every later init is quick. Lambda's retried init then succeeds.
 */
public class OnceSlowInitHandler implements RequestStreamHandler {

    public OnceSlowInitHandler() throws IOException, InterruptedException {
        Path marker = Path.of(System.getenv("MARKER_FILE"));
        if (!Files.exists(marker)) {
            Files.createFile(marker);
            System.out.println("slow init");
            Thread.sleep(60_000);
        }
        System.out.println("quick init");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        output.write(("{\"pid\":" + ProcessHandle.current().pid() + "}").getBytes());
    }
}
