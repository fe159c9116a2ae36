package io.pushcqrs.projection.adapter;

import io.pushcqrs.lambda.aws.DynamoDbClients;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AwsClientsTest {

    @Test
    void regionComesFromAwsRegionWithUsEast1AsDefault() {
        assertThat(DynamoDbClients.region(Map.of("AWS_REGION", "eu-west-1")::get)).isEqualTo(Region.EU_WEST_1);
        assertThat(DynamoDbClients.region(Map.<String, String>of()::get)).isEqualTo(Region.US_EAST_1);
        assertThat(DynamoDbClients.region(Map.of("AWS_REGION", "  ")::get)).isEqualTo(Region.US_EAST_1);
    }

    @Test
    void theClientUsesTheConfiguredRegion() {
        try (var client = DynamoDbClients.fromEnvironment(Map.of("AWS_REGION", "eu-central-1")::get)) {
            assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_CENTRAL_1);
        }
    }

    @Test
    void onlyTheUrlConnectionHttpClientIsOnTheClasspath() {
        assertThat(UrlConnectionHttpClient.create()).isNotNull();
        assertThat(isPresent("software.amazon.awssdk.http.apache.ApacheHttpClient")).isFalse();
        assertThat(isPresent("software.amazon.awssdk.http.apache5.Apache5HttpClient")).isFalse();
        assertThat(isPresent("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient")).isFalse();
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, AwsClientsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
