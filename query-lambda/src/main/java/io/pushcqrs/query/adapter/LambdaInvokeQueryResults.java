package io.pushcqrs.query.adapter;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.pushcqrs.model.Schema;
import io.pushcqrs.model.json.Json;
import io.pushcqrs.model.query.QueryRequest;
import io.pushcqrs.model.query.QueryResponse;
import io.pushcqrs.query.app.DownstreamUnavailable;
import io.pushcqrs.query.app.QueryResults;
import io.pushcqrs.model.aws.AwsFailure;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
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
 * the call timeout and an unreachable endpoint become {@link DownstreamUnavailable} (503); a refused
 * permission or an unknown function is a {@link io.pushcqrs.model.aws.AwsCallException} INTERNAL_ERROR (500,
 * logged with the action and the function), a payload Lambda refuses one with VALIDATION_ERROR (400). A
 * function error (the function crashed or timed out) and an unreadable payload are {@link DownstreamUnavailable}.
 *
 * <p>The client uses {@link UrlConnectionHttpClient}, the region of AWS_REGION (default us-east-1),
 * and the SDK's own endpoint resolution, which honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_LAMBDA
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

    /**
     * The reader named by QUERY_RESULT_FUNCTION. When the function is not configured or the client
     * cannot be built, every query fails with {@link DownstreamUnavailable} (a 503) instead of the
     * function failing to start, so /health and the error answers keep working.
     */
    public static QueryResults fromEnvironment() {
        String function = Schema.env(Schema.ENV_QUERY_RESULT_FUNCTION, null);
        if (function == null) {
            return unavailable("environment variable " + Schema.ENV_QUERY_RESULT_FUNCTION + " is not set");
        }
        try {
            return new LambdaInvokeQueryResults(clientBuilder(timeoutFromEnvironment()).build(), function);
        } catch (RuntimeException e) {
            return unavailable("cannot build the Lambda client: " + e);
        }
    }

    private static QueryResults unavailable(String reason) {
        return request -> {
            throw new DownstreamUnavailable(reason);
        };
    }

    /** A Lambda client builder with this adapter's HTTP client, region, timeout and retries. */
    public static LambdaClientBuilder clientBuilder(Duration timeout) {
        Duration connect = timeout.compareTo(Duration.ofSeconds(2)) < 0 ? timeout : Duration.ofSeconds(2);
        return LambdaClient.builder()
                .region(Region.of(Schema.env("AWS_REGION", "us-east-1")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(connect)
                        .socketTimeout(timeout))
                .overrideConfiguration(c -> c
                        .apiCallTimeout(timeout)
                        .retryStrategy(r -> r.maxAttempts(MAX_ATTEMPTS)));
    }

    static Duration timeoutFromEnvironment() {
        String value = Schema.env(ENV_TIMEOUT_MS, null);
        if (value != null) {
            try {
                long ms = Long.parseLong(value.trim());
                if (ms > 0) {
                    return Duration.ofMillis(ms);
                }
            } catch (NumberFormatException e) {
                // fall back to the default
            }
        }
        return DEFAULT_TIMEOUT;
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
                throw new DownstreamUnavailable(failure.describe()
                        + (e instanceof ApiCallTimeoutException ? " (the invoke timed out)" : ""), e);
            }
            // AccessDenied, an unknown function (500), a payload Lambda refuses (400)
            throw failure.exception(e);
        }
        String payload = response.payload() == null ? "" : response.payload().asUtf8String();
        if (response.functionError() != null) {
            throw new DownstreamUnavailable("function " + functionName + " failed (" + response.functionError()
                    + "): " + describeFunctionError(payload));
        }
        try {
            QueryResponse parsed = RESPONSE_READER.readValue(payload);
            if (parsed == null) {
                throw new DownstreamUnavailable("function " + functionName + " answered no query response: "
                        + cut(payload));
            }
            return parsed;
        } catch (IOException e) {
            throw new DownstreamUnavailable("function " + functionName + " answered an unreadable payload: "
                    + cut(payload), e);
        }
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
