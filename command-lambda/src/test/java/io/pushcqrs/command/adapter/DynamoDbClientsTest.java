package io.pushcqrs.command.adapter;

import io.pushcqrs.model.aws.DynamoDbClients;

import io.pushcqrs.moto.MotoServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DynamoDbClientsTest {

    @Test
    void regionComesFromAwsRegionWithUsEast1AsDefault() {
        try (DynamoDbClient c = DynamoDbClients.fromEnvironment(Map.of("AWS_REGION", "eu-west-3")::get)) {
            assertThat(c.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_3);
        }
        try (DynamoDbClient c = DynamoDbClients.fromEnvironment(name -> null)) {
            assertThat(c.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
        }
    }

    @Test
    void usesTheUrlConnectionClientOnly() {
        // the jar carries no other HTTP client: Apache and Netty are excluded from the build
        assertThat(classExists(UrlConnectionHttpClient.class.getName())).isTrue();
        assertThat(classExists("software.amazon.awssdk.http.apache.ApacheHttpClient")).isFalse();
        assertThat(classExists("software.amazon.awssdk.http.apache5.Apache5HttpClient")).isFalse();
        assertThat(classExists("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient")).isFalse();
    }

    /**
     * The SDK reads the endpoint from AWS_ENDPOINT_URL (what the embedded stack and LocalStack set) or
     * the aws.endpointUrl system property, through the same setting; the property is what a test can set.
     */
    @Test
    void endpointComesFromTheSdkEndpointSetting() {
        String endpoint = MotoServer.shared().endpoint().toString();
        SdkSettings.withEndpoint(endpoint, () -> {
            try (DynamoDbClient c = DynamoDbClients.fromEnvironment(name -> null)) {
                assertThat(c.serviceClientConfiguration().endpointOverride()).hasValueSatisfying(
                        uri -> assertThat(uri.toString()).isEqualTo(endpoint));
                assertThat(c.listTables().tableNames()).isNotNull(); // answered by moto
            }
        });
    }

    private static boolean classExists(String name) {
        try {
            Class.forName(name, false, DynamoDbClientsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
