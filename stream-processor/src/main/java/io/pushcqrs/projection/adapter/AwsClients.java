package io.pushcqrs.projection.adapter;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.function.Function;

/**
 * The function's DynamoDB client: the JDK's URLConnection HTTP client (no Apache or Netty in the jar),
 * the region from AWS_REGION (us-east-1 when unset) and the default credentials chain (the function's role).
 * The endpoint is the SDK's own choice: SDK 2.57 honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_DYNAMODB from
 * the environment (checked against moto), which is how the embedded local stack and LocalStack redirect it.
 */
public final class AwsClients {
    public static final String DEFAULT_REGION = "us-east-1";

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(Function<String, String> env) {
        return DynamoDbClient.builder()
                .region(region(env))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** AWS_REGION, or us-east-1 when it is unset or blank. */
    public static Region region(Function<String, String> env) {
        String region = env.apply("AWS_REGION");
        return Region.of(region == null || region.isBlank() ? DEFAULT_REGION : region.trim());
    }
}
