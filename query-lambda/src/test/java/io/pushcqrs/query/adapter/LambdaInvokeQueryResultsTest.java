package io.pushcqrs.query.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import io.pushcqrs.model.NotificationView;
import io.pushcqrs.model.Platform;
import io.pushcqrs.model.Status;
import io.pushcqrs.lambda.aws.AwsCallException;
import io.pushcqrs.model.error.ErrorCode;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;
import io.pushcqrs.model.error.UnavailableException;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.query.adapter.FakeLambdaService.Answer;
import io.pushcqrs.query.adapter.FakeLambdaService.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.lambda.LambdaClient;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class LambdaInvokeQueryResultsTest {
    private static final String FUNCTION = "dev-query-result-lambda";
    /**
     * The call timeout of the tests that count attempts: long enough for the SDK's retry backoff (a throttle waits a
     * jittered 0.5 s and more before its retry), so they never race it on a busy machine.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** The call timeout of the test that shows a slow answer is cut at the call timeout. */
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(800);
    private static final QueryRequest REQUEST =
            QueryRequest.user("u1", 1_700_000_000_000L, 1_700_000_099_999L, 30, "cur-1");

    private FakeLambdaService service;
    private LambdaClient client;
    private LambdaInvokeQueryResults results;

    @BeforeEach
    void start() throws IOException {
        service = new FakeLambdaService();
        client = clientFor(service.endpoint());
        results = new LambdaInvokeQueryResults(client, FUNCTION);
    }

    @AfterEach
    void stop() {
        client.close();
        service.close();
    }

    private static LambdaClient clientFor(URI endpoint) {
        return clientFor(endpoint, TIMEOUT);
    }

    private static LambdaClient clientFor(URI endpoint, Duration timeout) {
        return LambdaInvokeQueryResults.clientBuilder(Env.of(Map.of()), timeout)
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @Test
    void invokesTheFunctionWithTheRequestAsJsonAndReadsThePage() {
        service.answer(Answer.ok("""
                {"success":true,"items":[{"notification":{"transaction_id":"tx-1","created_at":1700000000001,
                 "user_id":"u1","platform":"IOS","device_token":"d","status":"SENT","payload":{"a":[1,2.50]}},
                 "source_version":3}],"next_cursor":"cur-2"}"""));

        QueryResponse response = results.fetch(REQUEST);

        assertThat(response.success()).isTrue();
        assertThat(response.nextCursor()).isEqualTo("cur-2");
        assertThat(response.items()).hasSize(1);
        NotificationView view = response.items().get(0);
        assertThat(view.sourceVersion()).isEqualTo(3L);
        assertThat(view.notification().transactionId()).isEqualTo("tx-1");
        assertThat(view.notification().platform()).isEqualTo(Platform.IOS);
        assertThat(view.notification().status()).isEqualTo(Status.SENT);
        assertThat(view.notification().payload().path("a").get(1).decimalValue()).isEqualByComparingTo("2.50");

        Call call = single();
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/2015-03-31/functions/" + FUNCTION + "/invocations");
        assertThat(call.header("X-Amz-Invocation-Type")).isEqualTo("RequestResponse");
        assertThat(call.header("Authorization")).contains("/us-east-1/lambda/aws4_request");
        assertThat(Json.readTree(call.body())).isEqualTo(Json.readTree("""
                {"type":"USER","user_id":"u1","from":1700000000000,"to":1700000099999,"limit":30,"cursor":"cur-1"}"""));
    }

    @Test
    void anErrorAnswerOfTheReaderIsReturnedNotThrown() {
        service.answer(Answer.ok("""
                {"success":false,"error":{"code":"VALIDATION_ERROR","message":"cursor: is not valid"}}"""));
        QueryResponse response = results.fetch(REQUEST);
        assertThat(response.success()).isFalse();
        assertThat(response.error().code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(response.error().message()).isEqualTo("cursor: is not valid");
    }

    @Test
    void fieldsTheReaderAddsLaterAreIgnored() {
        service.answer(Answer.ok("{\"success\":true,\"items\":[],\"count\":0,\"scanned\":5}"));
        assertThat(results.fetch(REQUEST).success()).isTrue();
    }

    @Test
    void anUnhandledFunctionErrorIsUnavailableAndNamesTheErrorButNotTheStackTrace() {
        service.answer(new Answer(200, Map.of("X-Amz-Function-Error", "Unhandled"), """
                {"errorMessage":"Cannot invoke \\"String.length()\\" because \\"s\\" is null",
                 "errorType":"java.lang.NullPointerException","stackTrace":["io.pushcqrs.Secret.line(Secret.java:42)"]}""",
                0));
        assertThatThrownBy(() -> results.fetch(REQUEST))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("function " + FUNCTION + " failed (Unhandled)")
                .hasMessageContaining("java.lang.NullPointerException: Cannot invoke")
                .message().doesNotContain("Secret.java");
        assertThat(service.calls).hasSize(1);
    }

    @Test
    void aFunctionErrorWithANonJsonPayloadIsUnavailable() {
        service.answer(new Answer(200, Map.of("X-Amz-Function-Error", "Unhandled"), "Task timed out", 0));
        assertThatThrownBy(() -> results.fetch(REQUEST))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("(Unhandled): Task timed out");
    }

    @Test
    void aServiceErrorIsRetriedOnceThenUnavailable() {
        service.answer(new Answer(500, Map.of("x-amzn-ErrorType", "ServiceException"),
                "{\"Type\":\"Service\",\"message\":\"internal failure\"}", 0));
        assertThatThrownBy(() -> results.fetch(REQUEST))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("lambda:InvokeFunction on function/" + FUNCTION + " failed: ServiceException (HTTP 500): internal failure");
        assertThat(service.calls).hasSize(LambdaInvokeQueryResults.MAX_ATTEMPTS);
    }

    @Test
    void aThrottleIsRetriedOnceThenUnavailable() {
        service.answer(new Answer(429, Map.of("x-amzn-ErrorType", "TooManyRequestsException"),
                "{\"Type\":\"User\",\"message\":\"Rate Exceeded.\",\"Reason\":\"ReservedFunctionConcurrentInvocationLimitExceeded\"}",
                0));
        assertThatThrownBy(() -> results.fetch(REQUEST))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("TooManyRequestsException (HTTP 429): Rate Exceeded.");
        assertThat(service.calls).hasSize(LambdaInvokeQueryResults.MAX_ATTEMPTS);
    }

    @Test
    void anUnknownFunctionIsAnInternalErrorWithoutRetryNamingActionAndFunction() {
        service.answer(new Answer(404, Map.of("x-amzn-ErrorType", "ResourceNotFoundException"),
                "{\"Type\":\"User\",\"message\":\"Function not found: " + FUNCTION + "\"}", 0));
        AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> results.fetch(REQUEST));
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(e.getMessage()).startsWith("lambda:InvokeFunction on function/" + FUNCTION
                + " failed: ResourceNotFoundException (HTTP 404): Function not found");
        assertThat(e.toBody().message()).isEqualTo("internal error");
        assertThat(service.calls).hasSize(1);
    }

    @Test
    void aRefusedPermissionIsAnInternalError() {
        service.answer(new Answer(403, Map.of("x-amzn-ErrorType", "AccessDeniedException"),
                "{\"Type\":\"User\",\"Message\":\"User: arn:aws:sts::1:assumed-role/q is not authorized to perform:"
                        + " lambda:InvokeFunction\"}", 0));
        AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> results.fetch(REQUEST));
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(e.getMessage()).contains("AccessDeniedException");
        assertThat(service.calls).hasSize(1);
    }

    @Test
    void aPayloadLambdaRefusesIsAValidationError() {
        service.answer(new Answer(413, Map.of("x-amzn-ErrorType", "RequestTooLargeException"),
                "{\"Type\":\"User\",\"message\":\"Request must be smaller than 6291456 bytes for the InvokeFunction operation\"}", 0));
        AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> results.fetch(REQUEST));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
    }

    @Test
    void aFunctionBeingUpdatedIsUnavailable() {
        service.answer(new Answer(409, Map.of("x-amzn-ErrorType", "ResourceConflictException"),
                "{\"Type\":\"User\",\"message\":\"The operation cannot be performed at this time.\"}", 0));
        assertThatThrownBy(() -> results.fetch(REQUEST)).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("ResourceConflictException");
    }

    @Test
    void aSlowAnswerTimesOutWithinTheCallTimeout() {
        service.answer(new Answer(200, Map.of(), "{\"success\":true,\"items\":[]}", 10_000));
        try (LambdaClient shortClient = clientFor(service.endpoint(), SHORT_TIMEOUT)) {
            LambdaInvokeQueryResults shortResults = new LambdaInvokeQueryResults(shortClient, FUNCTION);
            long start = System.nanoTime();
            assertThatThrownBy(() -> shortResults.fetch(REQUEST))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("timed out");
            long millis = (System.nanoTime() - start) / 1_000_000;
            // it gave up before the answer came (10 s): a bound that a busy machine cannot break, unlike a tight one
            assertThat(millis).isGreaterThanOrEqualTo(SHORT_TIMEOUT.toMillis() - 50).isLessThan(10_000);
        }
    }

    @Test
    void anUnreadablePayloadIsUnavailable() {
        for (String payload : List.of("not json", "[1,2]", "{\"success\":true,\"items\":[{\"notification\":"
                + "{\"platform\":\"FAX\"}}]}", "{\"success\":false,\"error\":{\"code\":\"NEW_CODE\"}}", "")) {
            service.answer(Answer.ok(payload));
            assertThatThrownBy(() -> results.fetch(REQUEST))
                    .as(payload)
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("answered an unreadable payload");
        }
    }

    @Test
    void aNullPayloadIsUnavailable() {
        service.answer(Answer.ok("null"));
        assertThatThrownBy(() -> results.fetch(REQUEST))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("answered no query response");
    }

    @Test
    void anUnreachableServiceIsUnavailable() throws IOException {
        URI closed;
        try (FakeLambdaService gone = new FakeLambdaService()) {
            closed = gone.endpoint();
        }
        try (LambdaClient unreachable = clientFor(closed)) {
            assertThatThrownBy(() -> new LambdaInvokeQueryResults(unreachable, FUNCTION).fetch(REQUEST))
                    .isInstanceOf(UnavailableException.class)
                    .hasMessageContaining("lambda:InvokeFunction on function/" + FUNCTION + " failed");
        }
    }

    @Test
    void theSdkTakesTheEndpointFromTheEndpointUrlSetting() {
        // aws.endpointUrl is the system-property twin of AWS_ENDPOINT_URL (same SDK setting);
        // EndpointFromEnvironmentTest checks the environment variable itself in a child JVM.
        System.setProperty("aws.endpointUrl", service.endpoint().toString());
        try (LambdaClient fromSetting = LambdaInvokeQueryResults.clientBuilder(Env.of(Map.of()), TIMEOUT)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            service.answer(Answer.ok("{\"success\":true,\"items\":[]}"));
            assertThat(new LambdaInvokeQueryResults(fromSetting, FUNCTION).fetch(REQUEST).success()).isTrue();
            assertThat(single().path()).isEqualTo("/2015-03-31/functions/" + FUNCTION + "/invocations");
        } finally {
            System.clearProperty("aws.endpointUrl");
        }
    }

    @Test
    void withoutTheFunctionNameTheFunctionDoesNotStart() {
        assertThatThrownBy(() -> LambdaInvokeQueryResults.fromEnvironment(Env.of(Map.of())))
                .isInstanceOf(Env.MissingVariableException.class)
                .hasMessageContaining("QUERY_RESULT_FUNCTION is not set");
    }

    @Test
    void theTimeoutComesFromTheEnvironmentOrDefaultsTo10Seconds() {
        LambdaInvokeQueryResults fromDefault = LambdaInvokeQueryResults.fromEnvironment(
                Env.of(Map.of("QUERY_RESULT_FUNCTION", FUNCTION)));
        assertThat(fromDefault.timeout()).isEqualTo(Duration.ofSeconds(10));
        LambdaInvokeQueryResults configured = LambdaInvokeQueryResults.fromEnvironment(
                Env.of(Map.of("QUERY_RESULT_FUNCTION", FUNCTION, LambdaInvokeQueryResults.ENV_TIMEOUT_MS, "2500")));
        assertThat(configured.timeout()).isEqualTo(Duration.ofMillis(2500));
    }

    private Call single() {
        assertThat(service.calls).hasSize(1);
        return service.calls.get(0);
    }

    static JsonNode json(String text) {
        return Json.readTree(text);
    }
}
