package io.pushcqrs.lambda.log;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LogTest {

    @Test
    void aLineHasLambdasKeysFirstThenItsFieldsWithoutNulls() {
        List<String> lines = new ArrayList<>();
        Log.to(lines::add).line("command request").requestId("req-1").put("status", 201).put("skipped", null)
                .put("route", "item").write(Log.Level.INFO, null);

        JsonNode line = Json.readTree(lines.get(0));
        assertThat(line.fieldNames()).toIterable()
                .containsExactly("timestamp", "level", "message", "AWSRequestId", "status", "route");
        assertThat(line.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(line.get("level").asText()).isEqualTo("INFO");
        assertThat(line.get("message").asText()).isEqualTo("command request");
        assertThat(line.get("status").asInt()).isEqualTo(201);
    }

    @Test
    void aFailureCarriesLambdasErrorKeysAndTheRootCauseOnOneLine() {
        List<String> lines = new ArrayList<>();
        Exception e = new IllegalStateException("outer", new java.io.IOException("connection reset"));
        Log.to(lines::add).line("query").error(e).write(Log.Level.ERROR, null);

        assertThat(lines.get(0)).doesNotContain("\n");
        JsonNode line = Json.readTree(lines.get(0));
        assertThat(line.get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(line.get("errorMessage").asText()).isEqualTo("outer");
        assertThat(line.get("stackTrace")).hasSizeBetween(1, Log.STACK_FRAMES);
        assertThat(line.get("stackTrace").get(0).asText()).contains("LogTest");
        assertThat(line.get("cause").asText()).isEqualTo("java.io.IOException: connection reset");
    }

    @Test
    void theLevelRuleOfRequestLines() {
        assertThat(Log.Level.ofStatus(200)).isEqualTo(Log.Level.INFO);
        assertThat(Log.Level.ofStatus(404)).isEqualTo(Log.Level.WARN);
        assertThat(Log.Level.ofStatus(503)).isEqualTo(Log.Level.ERROR);
    }

    /** The runtime's logger gets the line with its level: the runtime filters by AWS_LAMBDA_LOG_LEVEL. */
    @Test
    void linesGoToTheContextsLoggerWithTheirLevel() {
        List<String> received = new ArrayList<>();
        LambdaLogger logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                received.add("?" + message);
            }

            @Override
            public void log(byte[] message) {
                received.add("?" + new String(message, StandardCharsets.UTF_8));
            }

            @Override
            public void log(byte[] message, LogLevel level) {
                received.add(level + " " + new String(message, StandardCharsets.UTF_8));
            }
        };
        Log.lambda().line("batch projected").write(Log.Level.WARN, context(logger));

        assertThat(received).singleElement().satisfies(l -> assertThat(l).startsWith("WARN {").endsWith("}\n"));
    }

    private static Context context(LambdaLogger logger) {
        return new Context() {
            @Override public String getAwsRequestId() { return "r"; }
            @Override public String getLogGroupName() { return null; }
            @Override public String getLogStreamName() { return null; }
            @Override public String getFunctionName() { return null; }
            @Override public String getFunctionVersion() { return null; }
            @Override public String getInvokedFunctionArn() { return null; }
            @Override public CognitoIdentity getIdentity() { return null; }
            @Override public ClientContext getClientContext() { return null; }
            @Override public int getRemainingTimeInMillis() { return 0; }
            @Override public int getMemoryLimitInMB() { return 0; }
            @Override public LambdaLogger getLogger() { return logger; }
        };
    }
}
