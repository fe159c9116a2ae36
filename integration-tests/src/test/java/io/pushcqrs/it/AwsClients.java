package io.pushcqrs.it;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;

/** The AWS clients of a target: its edge endpoint, us-east-1, dummy credentials, the URLConnection HTTP client. */
final class AwsClients implements AutoCloseable {
    final DynamoDbClient dynamoDb;
    final DynamoDbStreamsClient streams;
    final SqsClient sqs;

    AwsClients(Target target) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        Region region = Region.of(System.getProperty("it.region", "us-east-1"));
        this.dynamoDb = DynamoDbClient.builder().endpointOverride(target.endpoint()).region(region)
                .credentialsProvider(credentials).httpClient(http()).build();
        this.streams = DynamoDbStreamsClient.builder().endpointOverride(target.endpoint()).region(region)
                .credentialsProvider(credentials).httpClient(http()).build();
        this.sqs = SqsClient.builder().endpointOverride(target.endpoint()).region(region)
                .credentialsProvider(credentials).httpClient(http()).build();
    }

    private static software.amazon.awssdk.http.SdkHttpClient http() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
    }

    @Override
    public void close() {
        dynamoDb.close();
        streams.close();
        sqs.close();
    }
}
