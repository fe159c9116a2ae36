package io.pushcqrs.queryresult.adapter;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.function.UnaryOperator;

/**
 * The function's DynamoDB client: the URL-connection HTTP client (no Apache, no Netty in the jar), the region
 * from AWS_REGION (us-east-1 when unset), the default credentials chain. The endpoint is the SDK's own choice:
 * it honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_DYNAMODB (and the aws.endpointUrl system property), which the
 * embedded stack and LocalStack set.
 */
public final class DynamoDbClients {
    public static final String DEFAULT_REGION = "us-east-1";

    private DynamoDbClients() {
    }

    public static DynamoDbClient fromEnvironment(UnaryOperator<String> env) {
        return DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(region(env))
                .build();
    }

    public static Region region(UnaryOperator<String> env) {
        String region = env.apply("AWS_REGION");
        return Region.of(region == null || region.isBlank() ? DEFAULT_REGION : region.trim());
    }
}
