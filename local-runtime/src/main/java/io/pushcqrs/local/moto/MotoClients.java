package io.pushcqrs.local.moto;

import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.moto.LocalAws;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

/**
 * AWS clients for moto's server as the local stack uses it: us-east-1, dummy credentials, and the header
 * {@code x-moto-account-id: 000000000000} on every request, so that moto keeps every resource in the account the
 * template's ARNs name (moto's own default is 123456789012). The edge adds the same header to what it forwards.
 */
public final class MotoClients {
    /** The header moto reads the account of a request from. */
    public static final String ACCOUNT_HEADER = "x-moto-account-id";

    private MotoClients() {
    }

    private static ClientOverrideConfiguration account() {
        return ClientOverrideConfiguration.builder().putHeader(ACCOUNT_HEADER, Intrinsics.ACCOUNT_ID).build();
    }

    public static DynamoDbClient dynamoDb(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(account()).build();
    }

    public static DynamoDbStreamsClient streams(URI endpoint) {
        return DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(account()).build();
    }

    public static SecretsManagerClient secretsManager(URI endpoint) {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(account()).build();
    }

    /** A DynamoDB Streams client with other credentials (an event source mapping's role session, through the edge). */
    public static DynamoDbStreamsClient streams(URI endpoint, AwsCredentialsProvider credentials) {
        return DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(LocalAws.REGION)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(account()).build();
    }

    /** An SQS client with other credentials (an event source mapping's role session, through the edge). */
    public static SqsClient sqs(URI endpoint, AwsCredentialsProvider credentials) {
        return SqsClient.builder().endpointOverride(endpoint).region(LocalAws.REGION)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(account()).build();
    }

    public static SqsClient sqs(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(account()).build();
    }
}
