package io.pushcqrs.projection;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A Lambda context whose logger keeps the lines. */
final class TestContext implements Context {
    final List<String> lines = new ArrayList<>();
    private final String requestId;

    TestContext(String requestId) {
        this.requestId = requestId;
    }

    @Override public String getAwsRequestId() { return requestId; }
    @Override public String getLogGroupName() { return "/aws/lambda/stream-processor"; }
    @Override public String getLogStreamName() { return "2026/11/26/[$LATEST]abc"; }
    @Override public String getFunctionName() { return "stream-processor"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:stream-processor"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return 30_000; }
    @Override public int getMemoryLimitInMB() { return 512; }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { lines.add(message.strip()); }
            @Override public void log(byte[] message) { log(new String(message, StandardCharsets.UTF_8)); }
        };
    }
}
