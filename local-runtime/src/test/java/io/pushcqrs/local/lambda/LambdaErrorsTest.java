package io.pushcqrs.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Error payloads, exit descriptions and function name/ARN resolution. */
class LambdaErrorsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(byte[] bytes) throws Exception {
        return JSON.readTree(bytes);
    }

    @Test
    void theRuntimesErrorBodyPassesThroughAndIsCompletedOrWrappedWhenNeeded() throws Exception {
        byte[] posted = "{\"errorMessage\":\"m\",\"errorType\":\"java.lang.X\",\"stackTrace\":[\"a\"]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(LambdaErrors.normalizeRuntimeError(posted, "Runtime.UserException")).isEqualTo(posted);

        JsonNode noType = json(LambdaErrors.normalizeRuntimeError("{\"errorMessage\":\"m\"}".getBytes(
                StandardCharsets.UTF_8), "Runtime.UserException"));
        assertThat(noType.get("errorType").asText()).isEqualTo("Runtime.UserException");
        assertThat(noType.get("errorMessage").asText()).isEqualTo("m");

        JsonNode text = json(LambdaErrors.normalizeRuntimeError("plain failure\n".getBytes(StandardCharsets.UTF_8),
                null));
        assertThat(text.get("errorMessage").asText()).isEqualTo("plain failure");
        assertThat(text.get("errorType").asText()).isEqualTo("Runtime.Unknown");

        JsonNode empty = json(LambdaErrors.normalizeRuntimeError(new byte[0], "Runtime.UserException"));
        assertThat(empty.get("errorMessage").asText()).contains("no details");
        assertThat(LambdaErrors.errorTypeOf("not json".getBytes(StandardCharsets.UTF_8), "fallback"))
                .isEqualTo("fallback");
    }

    @Test
    void apiErrorsHaveTheAwsShapeAndType() throws Exception {
        assertThat(json(LambdaErrors.notFound("arn:x")).toString())
                .isEqualTo("{\"Type\":\"User\",\"message\":\"Function not found: arn:x\"}");
        JsonNode throttled = json(LambdaErrors.tooManyRequests(Concurrency.RESERVED_EXCEEDED));
        assertThat(throttled.get("message").asText()).isEqualTo("Rate Exceeded.");
        assertThat(throttled.get("Reason").asText()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded");
        assertThat(LambdaErrors.apiErrorType(413)).isEqualTo("RequestEntityTooLargeException");
        assertThat(LambdaErrors.apiErrorType(429)).isEqualTo("TooManyRequestsException");
        assertThat(json(LambdaErrors.service("down")).get("Type").asText()).isEqualTo("Service");
        assertThat(LambdaErrors.apiErrorType(200)).isNull();
        assertThat(LambdaErrors.apiErrorType(500)).isEqualTo("ServiceException");
    }

    @Test
    void timeoutsAndExitsAreWordedAsAwsWordsThem() throws Exception {
        assertThat(json(LambdaErrors.timedOut("id-1", 3.004)).get("errorMessage").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z id-1 Task timed out after 3.00 seconds");
        assertThat(json(LambdaErrors.exited("id-2", "exit status 1")).get("errorMessage").asText())
                .isEqualTo("RequestId: id-2 Error: Runtime exited with error: exit status 1");
        assertThat(ExecutionEnvironment.describeExit(0)).isEqualTo("exit status 0");
        assertThat(ExecutionEnvironment.describeExit(3)).isEqualTo("exit status 3");
        assertThat(ExecutionEnvironment.describeExit(137)).isEqualTo("signal: killed");
        assertThat(ExecutionEnvironment.describeExit(143)).isEqualTo("signal: terminated");
        assertThat(ExecutionEnvironment.describeExit(134)).isEqualTo("signal: aborted");
    }

    @Test
    void functionsAreResolvedFromNamesAndArns() {
        assertThat(LambdaRuntime.resolve("f")).isEqualTo(new LambdaRuntime.Target("f", null));
        assertThat(LambdaRuntime.resolve("f:$LATEST")).isEqualTo(new LambdaRuntime.Target("f", "$LATEST"));
        assertThat(LambdaRuntime.resolve("123456789012:function:f")).isEqualTo(new LambdaRuntime.Target("f", null));
        assertThat(LambdaRuntime.resolve("123456789012:function:f:$LATEST"))
                .isEqualTo(new LambdaRuntime.Target("f", "$LATEST"));
        assertThat(LambdaRuntime.resolve("arn:aws:lambda:us-east-1:123456789012:function:f"))
                .isEqualTo(new LambdaRuntime.Target("f", null));
        assertThat(LambdaRuntime.resolve("arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST"))
                .isEqualTo(new LambdaRuntime.Target("f", "$LATEST"));
        assertThat(LambdaRuntime.resolve("f:1")).isNull();
        assertThat(LambdaRuntime.resolve("f:prod")).isNull();
        assertThat(LambdaRuntime.resolve("arn:aws:lambda:us-east-1:123456789012:layer:f")).isNull();
        assertThat(LambdaRuntime.resolve("arn:aws:sqs:us-east-1:123456789012:q")).isNull();
        assertThat(LambdaRuntime.resolve("a:b:c")).isNull();
        assertThat(LambdaRuntime.resolve("")).isNull();
    }
}
