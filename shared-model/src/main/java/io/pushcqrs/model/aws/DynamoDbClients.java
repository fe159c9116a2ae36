package io.pushcqrs.model.aws;

import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Builds a function's DynamoDB client (the one factory every function uses): the URL-connection HTTP client (no Apache, no Netty in the
 * jar), the region from AWS_REGION (us-east-1 when unset), credentials from the default chain (the
 * function role's environment variables in Lambda). The endpoint is the SDK's: it honours
 * AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL (and the aws.endpointUrl system property), which the
 * embedded local stack and LocalStack set. Retries are the SDK's standard mode (3 attempts) and a call
 * gives up after {@link #API_CALL_TIMEOUT}, so a stalled store is answered with a 503 well before the
 * function's own timeout.
 */
public final class DynamoDbClients {
    public static final String DEFAULT_REGION = "us-east-1";
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(8);

    private DynamoDbClients() {
    }

    /** A client configured from the process environment. */
    public static DynamoDbClient fromEnvironment() {
        return fromEnvironment(System::getenv);
    }

    /** AWS_REGION, or us-east-1 when it is unset or blank. */
    public static Region region(UnaryOperator<String> env) {
        String region = env.apply("AWS_REGION");
        return Region.of(region == null || region.isBlank() ? DEFAULT_REGION : region.trim());
    }

    /** A client configured from the given environment lookup (AWS_REGION). */
    public static DynamoDbClient fromEnvironment(UnaryOperator<String> env) {
        return DynamoDbClient.builder()
                .region(region(env))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(API_CALL_TIMEOUT)
                        .build())
                .build();
    }
}
