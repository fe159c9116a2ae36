package io.pushcqrs.queryresult;

import io.pushcqrs.awstest.TestContext;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A cold start in a fresh JVM, as the runtime does it: no-arg constructor, one invocation; args: payload, output file. */
public final class InvokeOnce {
    private InvokeOnce() {
    }

    public static void main(String[] args) throws Exception {
        TestContext context = new TestContext("cold-start-1");
        try (OutputStream out = Files.newOutputStream(Path.of(args[1]))) {
            new QueryResultHandler().handleRequest(new ByteArrayInputStream(args[0].getBytes(StandardCharsets.UTF_8)), out,
                    context);
        } finally {
            context.lines.forEach(System.out::print); // the function's log, as the runtime would print it
        }
    }
}
