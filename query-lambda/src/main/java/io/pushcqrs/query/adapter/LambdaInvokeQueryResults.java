package io.pushcqrs.query.adapter;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.pushcqrs.model.Schema;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;
import io.pushcqrs.model.error.UnavailableException;
import io.pushcqrs.query.app.QueryApiService;
import io.pushcqrs.query.app.QueryResults;
import io.pushcqrs.lambda.Env;
import io.pushcqrs.lambda.aws.AwsClients;
import io.pushcqrs.lambda.aws.AwsFailure;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

import java.io.IOException;
import java.time.Duration;

/**
 * {@link QueryResults} through the Lambda Invoke API: invokes query-result-lambda
 * (RequestResponse) with the {@link QueryRequest} as JSON and reads its payload as a
 * {@link QueryResponse}. SDK failures are classified by the shared {@link AwsFailure}: a throttle, a 5xx,
 * the call timeout and an unreachable endpoint become {@link UnavailableException} (503); a refused
 * permission or an unknown function is a {@link io.pushcqrs.lambda.aws.AwsCallException} INTERNAL_ERROR (500,
 * logged with the action and the function), a payload Lambda refuses one with VALIDATION_ERROR (400). A
 * function error (the function crashed or timed out) and an unreadable payload are {@link UnavailableException}.
 *
 * <p>The client has the shared settings of {@link AwsClients} (URL-connection HTTP client, AWS_REGION, default
 * us-east-1) and the SDK's own endpoint resolution, which honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_LAMBDA
 * (and the aws.endpointUrl system property), so the same jar runs on AWS, LocalStack and the
 * embedded local stack.
 */
public final class LambdaInvokeQueryResults implements QueryResults {
    /** Optional: the whole invoke (all attempts) must finish within this many ms; default 10000. */
    public static final String ENV_TIMEOUT_MS = "QUERY_RESULT_TIMEOUT_MS";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** One retry on a retryable failure (throttle, 5xx, I/O), bounded by the call timeout. */
    public static final int MAX_ATTEMPTS = 2;
    private static final int MAX_DETAIL = 300;

    /** Tolerant reader: fields the reader may add later do not break this side. */
    private static final ObjectReader RESPONSE_READER = Json.MAPPER.readerFor(QueryResponse.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final LambdaClient lambda;
    private final String functionName;

    public LambdaInvokeQueryResults(LambdaClient lambda, String functionName) {
        this.lambda = lambda;
        this.functionName = functionName;
    }

    /** The whole invoke's bound (the client's API call timeout). */
    public Duration timeout() {
        return lambda.serviceClientConfiguration().overrideConfiguration().apiCallTimeout().orElse(null);
    }

    /**
     * The reader named by QUERY_RESULT_FUNCTION (required: without it the function does not start), with the whole
     * invoke bounded by QUERY_RESULT_TIMEOUT_MS (default 10 s).
     */
    public static LambdaInvokeQueryResults fromEnvironment(Env env) {
        String function = env.required(Schema.ENV_QUERY_RESULT_FUNCTION, "the query-result function to invoke");
        return new LambdaInvokeQueryResults(clientBuilder(env, env.millis(ENV_TIMEOUT_MS, DEFAULT_TIMEOUT)).build(),
                function);
    }

    /** A Lambda client builder with the shared client settings, this timeout for the whole invoke and 2 attempts. */
    public static LambdaClientBuilder clientBuilder(Env env, Duration timeout) {
        return AwsClients.configure(LambdaClient.builder(), env, AwsClients.Settings.bounded(timeout, MAX_ATTEMPTS));
    }

    @Override
    public QueryResponse fetch(QueryRequest request) {
        InvokeResponse response;
        try {
            response = lambda.invoke(InvokeRequest.builder()
                    .functionName(functionName)
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromUtf8String(Json.write(request)))
                    .build());
        } catch (SdkException e) {
            AwsFailure failure = AwsFailure.classify(e, "lambda:InvokeFunction", "function/" + functionName);
            if (failure.kind() == AwsFailure.Kind.UNAVAILABLE) {
                // throttled, a 5xx, the function being updated, a timeout, unreachable: 503, retry later
                throw unavailable(failure.describe()
                        + (e instanceof ApiCallTimeoutException ? " (the invoke timed out)" : ""), e);
            }
            // AccessDenied, an unknown function (500), a payload Lambda refuses (400)
            throw failure.exception(e);
        }
        String payload = response.payload() == null ? "" : response.payload().asUtf8String();
        if (response.functionError() != null) {
            throw unavailable("function " + functionName + " failed (" + response.functionError()
                    + "): " + describeFunctionError(payload));
        }
        try {
            QueryResponse parsed = RESPONSE_READER.readValue(payload);
            if (parsed == null) {
                throw unavailable("function " + functionName + " answered no query response: "
                        + cut(payload));
            }
            return parsed;
        } catch (IOException e) {
            throw unavailable("function " + functionName + " answered an unreadable payload: "
                    + cut(payload), e);
        }
    }

    private static UnavailableException unavailable(String reason) {
        return unavailable(reason, null);
    }

    private static UnavailableException unavailable(String reason, Throwable cause) {
        return new UnavailableException(QueryApiService.UNAVAILABLE_MESSAGE, reason, cause);
    }

    /** errorType and errorMessage of the runtime's error payload (never its stack trace). */
    private static String describeFunctionError(String payload) {
        try {
            JsonNode error = Json.MAPPER.readTree(payload);
            if (error != null && error.isObject()) {
                return cut(error.path("errorType").asText("?") + ": " + error.path("errorMessage").asText(""));
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: show its start
        }
        return cut(payload);
    }

    private static String cut(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "...";
    }
}
