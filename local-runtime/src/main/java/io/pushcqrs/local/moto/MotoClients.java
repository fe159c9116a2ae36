package io.pushcqrs.local.moto;

import io.pushcqrs.local.template.Intrinsics;
import io.pushcqrs.moto.LocalAws;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
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

    /** S3 with path-style addressing (moto answers on 127.0.0.1:port, not on bucket host names). */
    public static S3Client s3(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(LocalAws.REGION).forcePathStyle(true)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(account()).build();
    }

    public static SsmClient ssm(URI endpoint) {
        return SsmClient.builder().endpointOverride(endpoint).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(account()).build();
    }

    public static EcrClient ecr(URI endpoint) {
        return EcrClient.builder().endpointOverride(endpoint).region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(account()).build();
    }

    /** IAM is global: signed for us-east-1, as AWS's aws-global endpoint is. */
    public static IamClient iam(URI endpoint) {
        return IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(LocalAws.CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(account()).build();
    }
}
